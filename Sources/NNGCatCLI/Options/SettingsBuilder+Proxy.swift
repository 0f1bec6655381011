import NNGCore

extension SettingsBuilder {
    /// `nngcat proxy PATTERN [IN_URL OUT_URL] [OPTIONS]`.
    static func proxy(_ parsed: ParsedArguments) throws(UsageError) -> ProxySettings {
        var positionals = parsed.positionals[...]
        guard let name = positionals.popFirst() else {
            throw UsageError("proxy needs a PATTERN: \(ProxyPattern.names.joined(separator: ", "))")
        }
        guard let pattern = ProxyPattern(rawValue: name) else {
            let close = ProxyPattern.names.min { ArgumentParser.editDistance(name, $0) < ArgumentParser.editDistance(name, $1) }!
            let hint = ArgumentParser.editDistance(name, close) < 4 ? " (did you mean '\(close)'?)" : ""
            throw UsageError("unknown pattern '\(name)'\(hint); patterns: \(ProxyPattern.names.joined(separator: ", "))")
        }
        var socket = try socketSettings(parsed, protocol: pattern.inProtocol)
        socket.dialPolicy = longRunningDialPolicy(parsed, given: socket.dialPolicy)
        var settings = ProxySettings(pattern: pattern, socket: socket)
        settings.stats = try ObservationOptions.stats(parsed)
        for occurrence in parsed.options {
            let value = occurrence.value ?? ""
            switch occurrence.spec.key {
            case .proxyIn: settings.inSide.listens.append(try ValueParsers.url(value, option: occurrence.spelling))
            case .proxyInDial: settings.inSide.dials.append(try ValueParsers.url(value, option: occurrence.spelling))
            case .proxyOut: settings.outSide.listens.append(try ValueParsers.url(value, option: occurrence.spelling))
            case .proxyOutDial: settings.outSide.dials.append(try ValueParsers.url(value, option: occurrence.spelling))
            case .tap: settings.tap = true
            case .tapMatch:
                settings.tap = true
                settings.tapMatch.append(Array(value.utf8))
            default: continue
            }
        }
        // The bare form listens on both sides: `proxy pubsub IN_URL OUT_URL`.
        let bare = Array(positionals)
        if !bare.isEmpty {
            guard settings.inSide.isEmpty && settings.outSide.isEmpty else {
                throw UsageError("unexpected argument '\(bare[0])': give the sides either as IN_URL OUT_URL or with --in/--out, not both")
            }
            if bare.count > 2 { throw UsageError("unexpected argument '\(bare[2])' (proxy takes IN_URL and OUT_URL)") }
            settings.inSide.listens.append(try ValueParsers.url(bare[0], option: "IN_URL"))
            if bare.count > 1 { settings.outSide.listens.append(try ValueParsers.url(bare[1], option: "OUT_URL")) }
        }
        if settings.inSide.isEmpty {
            throw UsageError("no in side: give --in URL or --in-dial URL (where the \(pattern.peers.in) connect), or IN_URL OUT_URL")
        }
        if settings.outSide.isEmpty && !pattern.outSideOptional {
            throw UsageError("no out side: give --out URL or --out-dial URL (where the \(pattern.peers.out) connect), or IN_URL OUT_URL")
        }
        if !settings.tap && parsed.has(.format) || !settings.tap && parsed.options.contains(where: { if case .setFormat = $0.spec.key { true } else { false } }) {
            throw UsageError("--format chooses how --tap prints: give --tap too")
        }
        if settings.socket.outputTemplate != nil {
            throw UsageError("--tap prints in listen's named formats (line, json, ...); a {{template}} is not supported there")
        }
        return settings
    }
}
