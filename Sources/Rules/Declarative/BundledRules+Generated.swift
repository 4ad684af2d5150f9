extension BundledRules {
    static let files: [(path: String, text: String)] = []
}
