import Dispatch
import Foundation

/// Runs independent pieces of work on up to `jobs` threads: the scan's files, the project
/// rules, the flow runs of the Prefect model. Each worker claims the next index until none
/// is left, so uneven pieces (one large file among small ones) do not leave a thread idle.
public enum ParallelMap {
    /// `body` for every index below `count`, on up to `jobs` threads; results in index order.
    public static func map<Value: Sendable>(_ count: Int, jobs: Int, _ body: @Sendable (Int) -> Value?) -> [Value?] {
        if count == 0 { return [] }
        if jobs <= 1 || count == 1 { return (0..<count).map(body) }
        let results = Results<Value>(count: count)
        DispatchQueue.concurrentPerform(iterations: min(jobs, count)) { _ in
            while let index = results.claim() {
                if let value = body(index) { results.set(index, value) }
            }
        }
        return results.values
    }

    /// The results, and the next index to hand out, behind one lock.
    private final class Results<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Value?]
        private var next = 0

        init(count: Int) { storage = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: Value) {
            lock.lock()
            storage[index] = value
            lock.unlock()
        }

        /// The next index not yet handed out, or nil when all are taken.
        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < storage.count else { return nil }
            next += 1
            return next - 1
        }

        var values: [Value?] {
            lock.lock()
            defer { lock.unlock() }
            return storage
        }
    }
}
