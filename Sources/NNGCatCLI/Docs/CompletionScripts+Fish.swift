import NNGCore

extension CompletionScripts {
    // MARK: - fish

    static func fishWord(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }

    /// `value<TAB>what it is` words, so fish shows what a value is rather than the option's help.
    static func fishValues(_ values: [String], _ spec: OptionSpec) -> String {
        let what: String
        switch spec.value {
        case .protocolName: what = "protocol"
        case .outputFormat: what = "output format"
        case .inputFormat: what = "input format"
        case .url: what = "URL scheme"
        default: what = spec.valueName.lowercased()
        }
        // complete -a splits on spaces: escape the ones inside a description.
        return values.map { $0 + "\\t" + what.replacing(" ", with: "\\ ") }.joined(separator: " ")
    }

    static func fish() -> String {
        var out = """
        # fish completion for nngcat
        \(headerComment(.fish))

        # The subcommand (send, listen, repl, bench), or 'legacy' when the first word is an option.
        function __nngcat_mode
            set -l tokens (commandline -opc)
            if test (count $tokens) -lt 2
                echo none
            else if string match -q -- '-*' $tokens[2]
                echo legacy
            else
                echo $tokens[2]
            end
        end

        function __nngcat_mode_is
            set -l mode (__nngcat_mode)
            test "$mode" = $argv[1]; or begin; test $argv[1] = legacy; and test "$mode" = none; end
        end

        function __nngcat_bench_needs_workload
            set -l tokens (commandline -opc)
            test (count $tokens) -eq 2; and test $tokens[2] = bench
        end

        function __nngcat_proxy_needs_pattern
            set -l tokens (commandline -opc)
            test (count $tokens) -eq 2; and test $tokens[2] = proxy
        end

        complete -c nngcat -f

        """
        for command in subcommands {
            out += "complete -c nngcat -n 'test (__nngcat_mode) = none' -a \(command.rawValue) -d \(fishWord(about(command)))\n"
        }
        out += "complete -c nngcat -n __nngcat_bench_needs_workload -a \(fishWord(benchWorkloads.joined(separator: " ")))\n"
        out += "complete -c nngcat -n __nngcat_proxy_needs_pattern -a \(fishWord(proxyPatterns.joined(separator: " ")))\n"
        for (name, options) in tables {
            out += "\n# \(name)\n"
            for spec in options {
                var line = "complete -c nngcat -n '__nngcat_mode_is \(name)'"
                if let short = spec.short { line += " -s \(short)" }
                for long in longNames(spec, in: options) { line += " -l \(long)" }
                switch completion(for: spec) {
                case .nothing where spec.takesValue: line += " -x"
                case .nothing: break
                case .words(let values): line += " -x -a " + fishWord(fishValues(values, spec))
                case .files: line += " -r -F"
                case .urls: line += " -x -a " + fishWord(fishValues(urlPrefixes, spec))
                }
                line += " -d " + fishWord(spec.help)
                out += line + "\n"
            }
        }
        return out
    }
}
