#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// What a crash prints instead of Swift's backtrace. The runtime's backtracer dumps registers
/// and the memory they point at, where a short secret (a Swift string of up to 15 bytes lives
/// inside its value) may stand; a crash is a bug, but it must not be a leak. With
/// `PREFECT_SECRETS_BACKTRACE` set the backtracer is left in place, for a developer.
enum CrashGuard {
    static let backtraceVariable = "PREFECT_SECRETS_BACKTRACE"

    /// Replaces the handlers of the signals a crash raises with one that writes one line to
    /// stderr and exits with 128 + the signal, as a process killed by it would.
    static func install() {
        guard ProcessInfo.processInfo.environment[backtraceVariable] == nil else { return }
        for signal in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = crashed
            #else
                action.__sigaction_u.__sa_handler = crashed
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }
}

/// Only async-signal-safe calls: `write` of static text, `_exit`.
private func crashed(_ signal: Int32) {
    func say(_ text: StaticString) { _ = write(2, text.utf8Start, text.utf8CodeUnitCount) }
    say("prefect-secrets: internal error (")
    switch signal {
    case SIGSEGV: say("SIGSEGV")
    case SIGBUS: say("SIGBUS")
    case SIGILL: say("SIGILL")
    case SIGFPE: say("SIGFPE")
    case SIGTRAP: say("SIGTRAP")
    default: say("SIGABRT")
    }
    say("); please report it. Set PREFECT_SECRETS_BACKTRACE=1 for a backtrace, which may show secret values.\n")
    _exit(128 + signal)
}
