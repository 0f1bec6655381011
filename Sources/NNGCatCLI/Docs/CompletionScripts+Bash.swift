import NNGCore

extension CompletionScripts {
    // MARK: - bash

    static func bash() -> String {
        var out = """
        # bash completion for nngcat
        \(headerComment(.bash))

        _nngcat_urls() {
            COMPREPLY=( $(compgen -W \(shellWord(urlPrefixes.joined(separator: " "))) -- "$cur") )
            [[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace 2>/dev/null
            return 0
        }

        _nngcat_files() {
            if declare -F _filedir >/dev/null; then
                _filedir
            else
                COMPREPLY=( $(compgen -f -- "$cur") )
                compopt -o filenames 2>/dev/null
            fi
            return 0
        }

        """
        for (name, options) in tables {
            out += "\n" + bashFunction(name: name, options: options)
        }
        out += """

        _nngcat() {
            local cur prev words cword split=false
            if declare -F _init_completion >/dev/null; then
                _init_completion -s || return
            else
                words=("${COMP_WORDS[@]}")
                cword=$COMP_CWORD
                cur=${COMP_WORDS[COMP_CWORD]}
                prev=${COMP_WORDS[COMP_CWORD-1]}
                if [[ $cur == --*=* ]]; then
                    prev=${cur%%=*}
                    cur=${cur#*=}
                    split=true
                elif [[ $cur == = && $cword -ge 2 ]]; then
                    prev=${COMP_WORDS[COMP_CWORD-1]}
                    cur=
                    split=true
                elif [[ $prev == = && $cword -ge 2 ]]; then
                    prev=${COMP_WORDS[COMP_CWORD-2]}
                    split=true
                fi
            fi

            if [[ $cword -eq 1 ]]; then
                if [[ $cur == -* ]]; then
                    _nngcat_legacy
                else
                    COMPREPLY=( $(compgen -W \(shellWord(subcommands.map(\.rawValue).joined(separator: " "))) -- "$cur") )
                fi
                return 0
            fi

            case ${words[1]} in
                send) _nngcat_send ;;
                listen) _nngcat_listen ;;
                repl) _nngcat_repl ;;
                bench) _nngcat_bench ;;
                probe) _nngcat_probe ;;
                proxy) _nngcat_proxy ;;
                -*) _nngcat_legacy ;;
            esac
            return 0
        }

        complete -F _nngcat nngcat

        """
        return out
    }

    static func bashFunction(name: String, options: [OptionSpec]) -> String {
        var lines: [String] = ["_nngcat_\(name)() {", "    case $prev in"]
        var groups: [(Completion, [String])] = []
        for spec in options where spec.takesValue {
            let completion = completion(for: spec)
            let words = spellings(spec, in: options)
            if let index = groups.firstIndex(where: { $0.0 == completion }) {
                groups[index].1 += words
            } else {
                groups.append((completion, words))
            }
        }
        for (completion, words) in groups {
            let action: String
            switch completion {
            case .words(let values):
                action = "COMPREPLY=( $(compgen -W \(shellWord(values.joined(separator: " "))) -- \"$cur\") ); return 0 ;;"
            case .files: action = "_nngcat_files; return 0 ;;"
            case .urls: action = "_nngcat_urls; return 0 ;;"
            case .nothing: action = "return 0 ;;"
            }
            lines.append("        \(words.joined(separator: "|")))")
            lines.append("            \(action)")
        }
        lines.append("    esac")
        lines.append("    $split && return 0")
        let all = options.flatMap { spellings($0, in: options) }
        lines.append("    if [[ $cur == -* ]]; then")
        lines.append("        COMPREPLY=( $(compgen -W \(shellWord(all.joined(separator: " "))) -- \"$cur\") )")
        if name == "bench" {
            lines.append("    elif [[ $cword -eq 2 ]]; then")
            lines.append("        COMPREPLY=( $(compgen -W \(shellWord(benchWorkloads.joined(separator: " "))) -- \"$cur\") )")
        }
        if name == "proxy" {
            lines.append("    elif [[ $cword -eq 2 ]]; then")
            lines.append("        COMPREPLY=( $(compgen -W \(shellWord(proxyPatterns.joined(separator: " "))) -- \"$cur\") )")
        }
        if name != "legacy" {
            lines.append("    else")
            lines.append("        _nngcat_urls")
        }
        lines.append("    fi")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
