import Foundation
import Spans

/// Placeholders for rules where the key already says "this is a secret" (PS103-PS105): only
/// values that cannot be a real secret — `<your-token>`, `**api-key**`, `xxxx`, `****`,
/// `changeme`, `your_password_here`, `my-api-token`, `TODO`. Broader heuristics (e.g.
/// "example" anywhere) belong to PS101, which must guess from the value alone.
public enum ObviousPlaceholder {
    static let exact: Set<String> = ["changeme", "change-me", "change_me", "todo", "tbd", "fixme", "none", "null", "redacted", "placeholder", "secret", "password"]

    public static func matches(_ value: String) -> Bool {
        let v = Whitespace.trimmed(value).lowercased()
        if v.isEmpty || exact.contains(v) { return true }
        if v.hasPrefix("<"), v.hasSuffix(">") { return true }
        // Emphasis, as in a README's `--key **prefect-cloud-token**`.
        if v.utf8.count > 2, v.hasPrefix("*"), v.hasSuffix("*") { return true }
        // On bytes: each of these characters is one ASCII byte, which no other character holds.
        if v.utf8.allSatisfy({ $0 == 0x78 || $0 == 0x2A || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F }) { return true }
        if v.hasPrefix("your-") || v.hasPrefix("your_") || v.hasSuffix("_here") || v.hasSuffix("-here") { return true }
        return isNamedForItsOwner(v)
    }

    /// `prefect-api-key`, `tenant_token`: words of letters ending in what the value is, as a
    /// generated template names the slot. Only for values that are random when real (API keys
    /// and tokens); a password may be words.
    public static func namesTheSlot(_ value: String) -> Bool {
        let words = value.lowercased().split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "_" }
        guard words.count >= 2, let last = words.last, credentialNouns.contains(last) else { return false }
        return words.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } }
    }

    static let credentialNouns: Set<Substring> = ["token", "key", "apikey", "secret", "password", "pass", "passwd", "pwd"]

    /// `my-prefect-tenant-token`, `my_api_key`: words of letters that say whose and what the
    /// value is, as example files write them; a real secret is not spelled that way.
    static func isNamedForItsOwner(_ lowercased: String) -> Bool {
        (lowercased.hasPrefix("my-") || lowercased.hasPrefix("my_")) && namesTheSlot(lowercased)
    }
}
