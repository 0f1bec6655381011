

/// Tokenise, then match each word against the option table of one subcommand:
/// `--opt VALUE`, `--opt=VALUE`, `-o VALUE`, `-oVALUE`, clustered short flags
/// (`-vq`), and `--` to end options; options and positional words mix.
/// (The legacy syntax has its own scanner, a port of `nng_opts_parse`: see LegacyScanner.)
enum ArgumentParser {
    static func parse(_ words: some Collection<String>, command: Command) throws(UsageError) -> ParsedArguments {
        let table = OptionTable.options(for: command)
        var result = ParsedArguments(command: command)
        var iterator = Array(words).makeIterator()
        var optionsEnded = false

        func takeValue(for spec: OptionSpec, spelling: String, inline: String?) throws(UsageError) -> String? {
            guard spec.takesValue else {
                if spec.takesOptionalValue { return inline }
                if inline != nil {
                    throw UsageError("option '\(spelling)' takes no value")
                }
                return nil
            }
            if let inline { return inline }
            guard let next = iterator.next() else {
                throw UsageError("option '\(spelling)' needs a value (\(spec.valueName))")
            }
            return next
        }

        while let word = iterator.next() {
            if optionsEnded || word == "-" || !word.hasPrefix("-") {
                result.positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let separatorIndex = body.firstIndex(of: "=")
                let name = String(separatorIndex.map { body[..<$0] } ?? body[...])
                let inline = separatorIndex.map { String(body[body.index(after: $0)...]) }
                let spec = try match(long: name, in: table, command: command)
                let spelling = "--" + name
                result.options.append(OptionOccurrence(spec: spec, spelling: spelling,
                                                       value: try takeValue(for: spec, spelling: spelling, inline: inline)))
                continue
            }
            // Short options, possibly clustered: -vq, -D hello, -Dhello.
            var rest = Substring(word.dropFirst())
            while let letter = rest.first {
                rest = rest.dropFirst()
                guard let spec = table.first(where: { $0.short == letter }) else {
                    throw UsageError("unknown option '-\(letter)'")  // a letter is too short to guess from
                }
                let spelling = "-\(letter)"
                if spec.takesValue {
                    let inline = rest.isEmpty ? nil : String(rest)
                    result.options.append(OptionOccurrence(spec: spec, spelling: spelling,
                                                           value: try takeValue(for: spec, spelling: spelling, inline: inline)))
                    break
                }
                result.options.append(OptionOccurrence(spec: spec, spelling: spelling, value: nil))
            }
        }
        return result
    }

    private static func match(long name: String, in table: [OptionSpec], command: Command) throws(UsageError) -> OptionSpec {
        if let exact = table.first(where: { $0.allLongNames.contains(name) }) { return exact }
        let elsewhere = OptionTable.options.first { $0.allLongNames.contains(name) }
        if let elsewhere, !elsewhere.commands.contains(command) {
            let owners = Command.allCases.filter { elsewhere.commands.contains($0) }.map(\.rawValue).joined(separator: ", ")
            throw UsageError("option '--\(name)' is not valid with '\(command.rawValue)' (it belongs to: \(owners))")
        }
        // Suggest from every command's options: a misspelt option often belongs to another command.
        throw UsageError("unknown option '--\(name)'" + suggestion(for: "--" + name, in: OptionTable.options))
    }

    /// ` (did you mean '--subscribe'?)` when a known spelling is within edit distance 3.
    static func suggestion(for word: String, in table: [OptionSpec]) -> String {
        var best: (String, Int)?
        for spec in table {
            for name in spec.allLongNames {
                let distance = editDistance(word, "--" + name)
                if distance < 4, distance < best?.1 ?? Int.max { best = ("--" + name, distance) }
            }
        }
        return best.map { " (did you mean '\($0.0)'?)" } ?? ""
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
