import NNGCore
import Glibc

/// The command line's entry point: picks the subcommand (or legacy syntax),
/// parses, runs, and returns the exit status.
public enum NNGCat {
    public static func main(_ arguments: [String]) -> Int32 {
        run(Array(arguments.dropFirst())).rawValue
    }

    static func run(_ words: [String]) -> ExitStatus {
        reserveStandardDescriptors()
        guard let first = words.first else {
            Diagnostics.line(HelpText.shortUsage)
            return .usage
        }
        switch first {
        case "-h", "--help", "help":
            Diagnostics.print(HelpText.topLevel)
            return .success
        case "-V", "--version":
            Diagnostics.print(HelpText.versionLine)
            return .success
        case "__generate":
            return DocGenerator.run(Array(words.dropFirst()))
        default:
            break
        }
        // Before any socket exists, so that NNG's threads inherit the signal mask;
        // after help and version, which need no watcher thread.
        Signals.install()
        if first.hasPrefix("-") {
            return LegacyMode.run(words)
        }
        guard let command = Command(rawValue: first), command != .legacy else {
            let names = ["send", "listen", "repl", "bench", "probe", "proxy"]
            let close = names.min { ArgumentParser.editDistance(first, $0) < ArgumentParser.editDistance(first, $1) }!
            let hint = ArgumentParser.editDistance(first, close) < 4 ? " (did you mean '\(close)'?)" : ""
            Diagnostics.error("unknown command '\(first)'\(hint); commands: send, listen, repl, bench, probe, proxy, or the C nngcat's --options")
            return .usage
        }
        let rest = Array(words.dropFirst())
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(rest, command: command)
        } catch {
            Diagnostics.error(error.message)
            return .usage
        }
        if parsed.has(.help) {
            Diagnostics.print(HelpText.help(for: command))
            return .success
        }
        if parsed.has(.version) {
            Diagnostics.print(HelpText.versionLine)
            return .success
        }
        do throws(UsageError) {
            switch command {
            case .send: return SendMode.run(try SettingsBuilder.send(parsed))
            case .listen: return ListenMode.run(try SettingsBuilder.listen(parsed))
            case .repl: return ReplMode.run(parsed)
            case .bench: return BenchMode.run(parsed)
            case .probe: return ProbeMode.run(try ProbeSettings.build(parsed))
            case .proxy: return ProxyMode.run(try SettingsBuilder.proxy(parsed))
            case .legacy: return .usage
            }
        } catch {
            Diagnostics.error(error.message)
            return .usage
        }
    }

    /// `nngcat send URL <&-` starts with descriptor 0 closed: the next open
    /// (one of libnng's own descriptors) would become "stdin" and be read from.
    /// Hold 0, 1 and 2 with /dev/null opened read-only: a closed stdin reads as
    /// empty, and a write to a closed stdout or stderr fails (EBADF) as it would have.
    static func reserveStandardDescriptors() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) < 0 && errno == EBADF {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0 && opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }
}
