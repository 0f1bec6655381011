import NNGCore

/// Prints received messages through a `--format` output template. Apart from
/// the normal formats' path, so those keep their speed; the peer's address is
/// looked up only when the template shows it.
struct TemplatePrinter {
    let template: Template
    let subscriptions: [[UInt8]]
    private let wantsPeer: Bool
    private var renderer = TemplateRenderer()
    private var peers = PeerAddressCache()

    init(template: Template, settings: SocketSettings) {
        self.template = template
        self.subscriptions = template.uses(.topic) ? settings.subscriptions : []
        self.wantsPeer = template.uses(.peer)
    }

    mutating func print(_ message: borrowing Message, sequence: Int, into out: inout OutputBuffer) {
        let peer = wantsPeer ? peers.address(of: message.pipe) : nil
        message.withUnsafeBytes { body in
            renderer.render(template, .init(sequence: sequence, body: body, peer: peer, subscriptions: subscriptions), into: &out)
        }
    }
}
