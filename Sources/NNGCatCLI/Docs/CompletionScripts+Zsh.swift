import NNGCore

extension CompletionScripts {
    // MARK: - zsh

    /// Text inside `[...]` of an `_arguments` spec, itself inside single quotes.
    static func zshDescription(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "[", "]", ":", "\\": out += "\\" + String(character)
            case "'": out += "'\\''"
            default: out.append(character)
            }
        }
        return out
    }

    static func zshSpecs(_ options: [OptionSpec]) -> [String] {
        var specs: [String] = []
        for spec in options {
            let description = zshDescription(spec.help)
            var action = ""
            if spec.takesValue {
                let message = ":" + spec.valueName.lowercased() + ":"
                switch completion(for: spec) {
                case .words(let values): action = message + "(" + values.joined(separator: " ") + ")"
                case .files: action = message + "_files"
                case .urls: action = message + "_nngcat_urls"
                case .nothing: action = message + " "
                }
            }
            let repeatable = spec.takesValue ? "*" : ""
            if let short = spec.short {
                specs.append("'\(repeatable)-\(short)\(spec.takesValue ? "+" : "")[\(description)]\(action)'")
            }
            for name in longNames(spec, in: options) {
                specs.append("'\(repeatable)--\(name)\(spec.takesValue ? "=" : "")[\(description)]\(action)'")
            }
        }
        return specs
    }

    static func zsh() -> String {
        var out = """
        #compdef nngcat
        # zsh completion for nngcat
        \(headerComment(.zsh))

        _nngcat_urls() {
            local -a schemes
            schemes=(\(urlPrefixes.joined(separator: " ")))
            compadd -S '' -a schemes
        }

        """
        for (name, options) in tables {
            var positional: [String]
            switch name {
            case "send": positional = ["'1::url:_nngcat_urls'", "'*::message:_message message'"]
            case "bench": positional = ["'1:workload:(\(benchWorkloads.joined(separator: " ")))'", "'2::url:_nngcat_urls'"]
            case "proxy": positional = ["'1:pattern:(\(proxyPatterns.joined(separator: " ")))'", "'2::in url:_nngcat_urls'", "'3::out url:_nngcat_urls'"]
            case "legacy": positional = []
            case "probe": positional = ["'*::url:_nngcat_urls'"]
            default: positional = ["'1::url:_nngcat_urls'"]
            }
            let flags = name == "legacy" ? "-s" : "-s -S"
            let specs = (zshSpecs(options) + positional).map { "        " + $0 }.joined(separator: " \\\n")
            out += "\n_nngcat_\(name)() {\n    _arguments \(flags) \\\n\(specs)\n}\n"
        }
        let commandList = subcommands.map { "'\($0.rawValue):\(zshDescription(about($0)))'" }.joined(separator: " ")
        out += """

        _nngcat() {
            if (( CURRENT == 2 )) && [[ $words[2] != -* ]]; then
                local -a commands
                commands=(\(commandList))
                _describe -t commands 'nngcat command' commands
                return
            fi
            case $words[2] in
                send|listen|repl|bench|probe|proxy)
                    local command=$words[2]
                    shift words
                    (( CURRENT-- ))
                    _nngcat_$command
                    ;;
                -*)
                    _nngcat_legacy
                    ;;
            esac
        }

        if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
            _nngcat "$@"
        else
            compdef _nngcat nngcat
        fi

        """
        return out
    }
}
