/// The option lists of `man/nngcat.1`, generated from the option tables in
/// the `man` macro package. The man page keeps each fragment between
/// `.\" BEGIN GENERATED OPTIONS <command>` and `.\" END GENERATED OPTIONS <command>`;
/// scripts/regenerate-docs refreshes them and a golden test checks them.
enum ManPageOptions {
    static let documented: [Command] = [.send, .listen, .repl, .bench, .probe, .proxy, .legacy]

    static func beginMarker(_ command: Command) -> String { ".\\\" BEGIN GENERATED OPTIONS \(command.rawValue)" }
    static func endMarker(_ command: Command) -> String { ".\\\" END GENERATED OPTIONS \(command.rawValue)" }

    /// Every fragment between its markers, in man page order.
    static func allSections() -> String {
        documented.map { beginMarker($0) + "\n" + fragment(for: $0) + endMarker($0) + "\n" }.joined()
    }

    /// The options of one command, grouped as in `--help`: an italic group
    /// title, then a `.TP` paragraph per option. It must follow a heading or a `.PP`. Hidden options are listed too:
    /// the man page names every spelling the parser accepts.
    static func fragment(for command: Command) -> String {
        let options = OptionTable.options(for: command)
        var groups: [String] = []
        for option in options where !groups.contains(option.group) { groups.append(option.group) }
        var out = ""
        for (index, group) in groups.enumerated() {
            // The first title follows a heading or the page's own .PP: a .PP there would be skipped (mandoc warns).
            out += (index == 0 ? "" : ".PP\n") + ".I \(group)\n"
            for option in options where option.group == group {
                out += ".TP\n" + tag(option) + "\n" + wrap(text(option.help)) + "\n"
            }
        }
        return out
    }

    /// `.BR \-v ", " \-\-verbose` for a flag; `.BI "\-C, \-\-count " N` for an option with a value.
    static func tag(_ option: OptionSpec) -> String {
        let names = (option.short.map { ["\\-\($0)"] } ?? []) + option.allLongNames.map { "\\-\\-" + $0.replacing("-", with: "\\-") }
        if option.takesValue {
            return ".BI \"" + names.joined(separator: ", ") + " \" " + option.valueName
        }
        if option.takesOptionalValue {
            return ".BR " + names.joined(separator: ", ") + " [=\\fI" + option.valueName + "\\fR]"
        }
        if names.count == 1 { return ".B " + names[0] }
        return ".BR " + names.joined(separator: " \", \" ")
    }

    /// Source lines of at most 80 bytes (mandoc's style check), broken at spaces.
    static func wrap(_ prose: String, width: Int = 80) -> String {
        var lines: [String] = []
        var line = ""
        for word in prose.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.utf8.count + 1 + word.utf8.count > width {
                lines.append(line)
                line = String(word)
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        lines.append(line)
        // A line may now start with a control character: `\&` keeps it text.
        return lines.map { $0.hasPrefix(".") || $0.hasPrefix("'") ? "\\&" + $0 : $0 }.joined(separator: "\n")
    }

    /// Prose for roff: backslashes as `\e`, a dash that starts a word as `\-`
    /// (so options copy and paste as ASCII), and no control character at a line start.
    static func text(_ prose: String) -> String {
        var out = ""
        var previous: Character?
        for character in prose {
            switch character {
            case "\\": out += "\\e"
            case "-" where !(previous?.isLetter ?? false) && !(previous?.isNumber ?? false): out += "\\-"
            default: out.append(character)
            }
            previous = character
        }
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }
}
