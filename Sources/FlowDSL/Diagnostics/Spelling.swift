/// Finds the closest known word to a misspelled one, for "did you mean …?" hints.
public enum Spelling {
    /// The candidate nearest to `word` by edit distance (transpositions count as one edit), if it
    /// is close enough to be a plausible typo: at most a third of the word's length, at least 1.
    public static func suggestion<S: Sequence>(for word: String, among candidates: S) -> String? where S.Element == String {
        let target = Array(word.lowercased())
        let limit = max(1, target.count / 3)
        var best: (distance: Int, word: String)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(target, Array(candidate.lowercased()))
            guard distance <= limit else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.word) {
                best = (distance, candidate)
            }
        }
        return best?.word
    }

    /// "did you mean `x`?" or nil.
    public static func hint<S: Sequence>(for word: String, among candidates: S) -> String? where S.Element == String {
        suggestion(for: word, among: candidates).map { "did you mean `\($0)`?" }
    }

    /// Optimal string alignment distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = Swift.min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
