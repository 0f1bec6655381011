/// The C nngcat's option scanner, step for step as libnng's `nng_opts_parse`:
/// one option per call, in order, so that the caller can act on each (and
/// fail on the first bad one) exactly where the C tool does.
///
/// - A long option is `--name`, `--name=VALUE` or `--name:VALUE`; `name` may be
///   any prefix of exactly one option's name (an exact name always wins).
/// - A short option is `-x`, or `-xVALUE` / `-x VALUE` when it takes a value;
///   short options do not cluster (`-vq` is invalid), and `-D=x` means `=x`.
/// - `--` is a long option with an empty name, hence ambiguous.
/// - The C tool stops at the first word that is not an option (or `-`) and
///   ignores the rest; we refuse it instead (a deliberate improvement).
struct LegacyScanner {
    private let words: [String]
    private var index = 0
    private let table: [OptionSpec]

    init(_ words: [String], table: [OptionSpec] = LegacyOptionTable.options) {
        self.words = words
        self.table = table
    }

    /// The next option and its value; nil when the words are used up.
    mutating func next() throws(LegacyExit) -> (spec: OptionSpec, value: String?)? {
        guard index < words.count else { return nil }
        let word = words[index]
        let bytes = Array(word.utf8)
        guard bytes.first == UInt8(ascii: "-"), bytes.count > 1 else {
            throw LegacyExit.failure("Unexpected argument '\(word)': every argument must be an option.")
        }
        let dash = UInt8(ascii: "-")
        if bytes[1] == dash {
            let body = bytes[2...]
            let end = body.firstIndex { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") } ?? body.endIndex
            let name = Array(body[body.startIndex..<end])
            var matches: [OptionSpec] = []
            for spec in table {
                let long = Array(spec.long.utf8)
                if long == name {
                    matches = [spec]
                    break
                }
                if long.starts(with: name) { matches.append(spec) }
            }
            guard matches.count == 1 else {
                throw LegacyExit.failure(matches.isEmpty ? "Option \(word) is invalid." : "Option \(word) is ambiguous (specify in full).")
            }
            let spec = matches[0]
            let hasInline = end != body.endIndex
            if !spec.takesValue {
                if hasInline { throw LegacyExit.failure("Option \(word) is invalid.") }
                index += 1
                return (spec, nil)
            }
            if hasInline {
                index += 1
                return (spec, String(decoding: bytes[(end + 1)...], as: UTF8.self))
            }
            return (spec, try takeFollowingValue(word))
        }
        let letter = Character(Unicode.Scalar(bytes[1]))
        guard bytes[1] < 0x80, let spec = table.first(where: { $0.short == letter }) else {
            throw LegacyExit.failure("Option \(word) is invalid.")
        }
        if !spec.takesValue {
            if bytes.count > 2 { throw LegacyExit.failure("Option \(word) is invalid.") }
            index += 1
            return (spec, nil)
        }
        if bytes.count > 2 {
            index += 1
            return (spec, String(decoding: bytes[2...], as: UTF8.self))
        }
        return (spec, try takeFollowingValue(word))
    }

    private mutating func takeFollowingValue(_ word: String) throws(LegacyExit) -> String {
        guard index + 1 < words.count else { throw LegacyExit.failure("Option \(word) requires argument.") }
        let value = words[index + 1]
        index += 2
        return value
    }
}

/// How the legacy syntax ends early: the C tool's `fatal()` (its text on
/// stderr, status 1), or a quiet exit with a given status (help, version,
/// a closed stdout).
struct LegacyExit: Error {
    let status: ExitStatus
    let message: String?

    static func failure(_ message: String) -> LegacyExit { LegacyExit(status: .failure, message: message) }
    static func quiet(_ status: ExitStatus) -> LegacyExit { LegacyExit(status: status, message: nil) }
}
