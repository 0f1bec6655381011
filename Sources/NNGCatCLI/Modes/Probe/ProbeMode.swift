import NNGCore

/// `nngcat probe [OPTIONS] URL...`: what SP peer is at each URL. Every URL is
/// probed at once on its own thread (each blocks in libnng's aio waits);
/// reports print in command-line order, each as soon as it and those before
/// it are done, and the worst status wins.
enum ProbeMode {
    static func run(_ settings: ProbeSettings) -> ExitStatus {
        let prober = Prober(settings: settings)
        let slots = settings.targets.map { _ in OutcomeSlot() }
        let threads = zip(settings.targets, slots).map { target, slot in
            JoinableThread { slot.value.withLock { $0 = prober.probe(target) } }
        }
        var statuses: [ExitStatus] = []
        for (thread, slot) in zip(threads, slots) {
            thread.join()
            guard let outcome = slot.value.withLock({ $0 }) else { continue }
            statuses.append(outcome.status)
            Diagnostics.print(settings.json ? ProbeReport.json(outcome, settings: settings) : ProbeReport.text(outcome, settings: settings))
        }
        return ProbeOutcome.worst(statuses)
    }
}
