import GazetteCore
import GazetteMetrics

/// The account's metrics (docs/METRICS.md): which state it is in, one series per state, 1 for the current one.
public struct AccountMetrics: Sendable {
    private let states: [AccountState: Gauge]
    let updatesSaved: Counter
    let picturesDownloaded: Counter
    let picturesFailed: Counter

    public init(registry: MetricRegistry) {
        var states: [AccountState: Gauge] = [:]
        for state in AccountState.allCases {
            states[state] = registry.makeGauge(name: "telegram_account_state", labels: [("state", state.rawValue)],
                                               help: "The Telegram user account of this process: 1 for its current state (logged_in, waiting, logged_out).")
        }
        self.states = states
        updatesSaved = registry.makeCounter(name: "telegram_account_updates_total",
                                            help: "New and edited posts stored from the account's live updates.")
        let pictureHelp = "Pictures of the account digests asked for: downloaded into the image cache, or failed (remembered there)."
        picturesDownloaded = registry.makeCounter(name: "telegram_account_pictures_total", labels: [("outcome", "downloaded")], help: pictureHelp)
        picturesFailed = registry.makeCounter(name: "telegram_account_pictures_total", labels: [("outcome", "failed")], help: pictureHelp)
    }

    func set(_ current: AccountState) {
        for (state, gauge) in states { gauge.set(state == current ? 1 : 0) }
    }
}
