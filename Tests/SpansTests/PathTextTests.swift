import Spans
import Testing

@Suite struct PathTextTests {
    /// The last component is what splitting the path at `/` gives last, for every shape of
    /// path: none, slashes only, trailing and doubled slashes, non-ASCII names, and a
    /// combining mark after a slash (one character, which `split` does not split at).
    @Test(arguments: [
        "", "/", "//", "a", "a/", "/a", "a//b", "deploy/k8s/kustomization.yaml", "deploy/k8s/", "./.envrc",
        "dir/é.yaml", "日本/語", "a/\u{301}b", "a\u{301}/b",
    ])
    func lastComponentIsTheLastPartOfTheSplit(path: String) {
        #expect(PathText.lastComponent(of: path) == path.split(separator: "/").last)
    }
}
