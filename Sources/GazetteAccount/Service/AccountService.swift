import Foundation
import GazetteCore
import GazetteSources
import Logging
import ServiceLifecycle
import Synchronization

/// The Telegram user account in a worker process. It holds the account lease (exactly one process owns the account:
/// a TDLib database belongs to one process), opens the session while it holds it, records the account's state for
/// the other processes, reads channels for the worker (`AccountPostSource`), stores new and edited posts of the
/// account's channels from TDLib's live updates within seconds, and downloads the account's pictures digests ask for.
public final class AccountService: Service, AccountPostSource {
    public typealias Store = AccountStore & PostStore & ImageRequestStore & ImageCacheStore
    public typealias TransportFactory = @Sendable () throws(AccountError) -> any TDJSONTransport

    public let owner: String
    private let settings: AccountSettings
    private let store: any Store
    private let leaseDuration: TimeInterval
    private let makeTransport: TransportFactory
    private let metrics: AccountMetrics
    private let logger: Logger
    private let clock: any GazetteClock
    private let dedupWindow: TimeInterval
    private let onSaved: @Sendable (_ channel: String, _ count: Int) -> Void
    private let pictures: AccountPictureSettings?
    private let flood = FloodWaits()
    private let names = NameCache()
    private let state = Mutex(State())
    private let firstRound = Mutex(FirstRound())

    /// Who waits for the first round to end (`firstRoundDone`), and whether it has.
    private struct FirstRound {
        var done = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    struct Chat: Sendable {
        let channelID: Int64
        /// Nil until this process read the chat (a chat opened at start is known by its id only).
        let title: String?
        let mapping: MessageMapping
    }

    private struct State {
        var session: AccountSession?
        var reported: AccountState?
        var ownsLease = false
        var chats: [Int64: Chat] = [:]
        /// Chats opened in the current session (TDLib forgets them when the session closes).
        var opened: Set<Int64> = []
        /// Whether the account's channels were opened since the session became ready.
        var openedAtStart = false
        /// Messages of albums seen in updates, so a later part is stored into the album's one post.
        var albums: [Int64: [TDMessage]] = [:]
    }

    public init(settings: AccountSettings, store: any Store, owner: String, leaseDuration: TimeInterval,
                makeTransport: @escaping TransportFactory, metrics: AccountMetrics, logger: Logger,
                clock: any GazetteClock = SystemClock(), dedupWindow: TimeInterval = 86_400,
                onSaved: @escaping @Sendable (String, Int) -> Void = { _, _ in }, pictures: AccountPictureSettings? = nil) {
        self.settings = settings
        self.pictures = pictures
        self.store = store
        self.owner = owner
        self.leaseDuration = leaseDuration
        self.makeTransport = makeTransport
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.dedupWindow = dedupWindow
        self.onSaved = onSaved
    }

    public var isReady: Bool {
        state.withLock { $0.ownsLease && $0.session?.client.currentAuthorizationState == .ready }
    }

    /// The account's state as this process sees it.
    public var accountState: AccountState {
        state.withLock { s in
            guard let session = s.session else { return s.reported ?? .waiting }
            return Self.accountState(session.client.currentAuthorizationState)
        }
    }

    // MARK: Service

    public func run() async throws {
        metrics.set(.waiting)
        // Whatever ends the service, nobody keeps waiting for a first round that will not come.
        defer { endFirstRound() }
        // Shutdown cancels the loop (and the update consumers with it); the session is closed and the lease given back.
        try? await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if let pictures = self.pictures {
                    group.addTask { await self.servePictures(every: pictures.poll) }
                }
                while !Task.isCancelled {
                    if let opened = await self.tick() {
                        group.addTask { await self.consumeUpdates(of: opened) }
                    }
                    self.endFirstRound()
                    do {
                        try await self.clock.sleep(seconds: max(1, self.leaseDuration / 3))
                    } catch {
                        break
                    }
                }
                group.cancelAll()
            }
        }
        await closeSession()
        do {
            try await store.releaseAccount(owner: owner)
        } catch {
            logger.warning("could not release the account lease; it expires by itself", metadata: ["error": "\(error)"])
        }
    }

    /// Returns once the service's first round is over: the lease taken (or found held by another process) and the
    /// session opened, logged in or not. What a one-shot fetch waits for before it reads channels (`isReady` is then
    /// the account's answer, not "still starting"). Also returns when the service stopped before its first round.
    public func firstRoundDone() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let resumeNow = firstRound.withLock { round -> Bool in
                if round.done { return true }
                round.waiters.append(waiter)
                return false
            }
            if resumeNow { waiter.resume() }
        }
    }

    private func endFirstRound() {
        let waiters = firstRound.withLock { round -> [CheckedContinuation<Void, Never>] in
            round.done = true
            defer { round.waiters = [] }
            return round.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// One round: take or renew the lease, open or close the session to match, record the state. Returns a session
    /// it just opened (whose updates are then consumed).
    func tick() async -> AccountSession? {
        let now = clock.now()
        let owns: Bool
        do {
            owns = try await store.claimAccount(owner: owner, now: now, lease: leaseDuration)
        } catch {
            logger.warning("could not claim the account lease", metadata: ["error": "\(error)"])
            return nil
        }
        state.withLock { $0.ownsLease = owns }
        guard owns else {
            // Another process owns the account: its channels are left to it.
            await closeSession()
            return nil
        }
        var opened: AccountSession?
        if state.withLock({ $0.session == nil }) {
            opened = await openSession()
        }
        let current = accountState
        metrics.set(current)
        do {
            _ = try await store.setAccountState(owner: owner, current, now: now)
        } catch {
            logger.warning("could not record the account state", metadata: ["error": "\(error)"])
        }
        if state.withLock({ $0.reported }) != current {
            logger.notice("telegram account", metadata: ["state": "\(current.rawValue)"])
            state.withLock { $0.reported = current }
        }
        if let session = state.withLock({ $0.session }), session.client.currentAuthorizationState == .closed {
            // Logged out from elsewhere (Settings → Devices) or the session was revoked: start over next round.
            await closeSession()
        }
        if current == .loggedIn, state.withLock({ !$0.openedAtStart }) {
            await openAccountChats()
        }
        return opened
    }

    /// Opens the chat of every channel the account reads, at every start and lease hand-over: TDLib sends a channel's
    /// updates only for open chats, and the live updates of these chats are stored from now on, before their next fetch.
    private func openAccountChats() async {
        let channels: [AccountChannel]
        do {
            channels = try await store.accountChannels()
        } catch {
            logger.warning("could not list the account's channels to open their chats", metadata: ["error": "\(error)"])
            return
        }
        for known in channels {
            let chat = Chat(channelID: known.channel.id, title: nil, mapping: Self.mapping(for: known.channel))
            state.withLock { s in
                if s.chats[known.chatID] == nil { s.chats[known.chatID] = chat }
            }
            await open(known.chatID, channel: known.channel.key)
        }
        state.withLock { $0.openedAtStart = true }
    }

    /// `openChat` once per session; a chat that cannot be opened is read anyway (without live updates).
    private func open(_ chatID: Int64, channel: String) async {
        guard let client = state.withLock({ s -> TDClient? in
            guard let session = s.session, !s.opened.contains(chatID) else { return nil }
            s.opened.insert(chatID)
            return session.client
        }) else { return }
        do {
            _ = try await client.call(.openChat(chatID))
        } catch {
            state.withLock { _ = $0.opened.remove(chatID) }
            logger.warning("could not open a channel's chat; it gets no live updates until it is opened", metadata: [
                "channel": "\(channel)", "error": "\(error)",
            ])
        }
    }

    private static func mapping(for channel: Channel) -> MessageMapping {
        let username: String? = if case .telegram(let name) = channel.ref { name } else { nil }
        return MessageMapping(channelKey: channel.key, username: username)
    }

    private func openSession() async -> AccountSession? {
        do {
            let transport = try makeTransport()
            let (session, first) = try await AccountSession.open(settings, transport: transport)
            state.withLock { $0.session = session }
            if first != .ready {
                logger.warning("the Telegram account is not logged in; run `gazette login`", metadata: ["state": "\(first.name)"])
            }
            return session
        } catch {
            logger.error("could not open the Telegram account session", metadata: ["error": "\(error)"])
            state.withLock { $0.reported = .loggedOut }
            return nil
        }
    }

    private func closeSession() async {
        guard let session = state.withLock({ s -> AccountSession? in
            defer { (s.session, s.opened, s.openedAtStart) = (nil, [], false) }
            return s.session
        }) else { return }
        await session.close()
    }

    static func accountState(_ authorization: AuthorizationState?) -> AccountState {
        switch authorization {
        case .ready: .loggedIn
        case .waitPhoneNumber, .waitCode, .waitPassword, .waitOtherDeviceConfirmation, .waitEmailAddress, .waitEmailCode,
             .waitRegistration, .waitPremiumPurchase, .loggingOut, .closing, .closed:
            .loggedOut
        case .waitTdlibParameters, .other, nil: .waiting
        }
    }

    // MARK: Reading channels

    public func fetch(_ channel: Channel, route: FetchRoute?, since: Date, state fetchState: FetchState?) async throws(SourceError) -> AccountFetchResult {
        guard let session = state.withLock({ $0.ownsLease ? $0.session : nil }), session.client.currentAuthorizationState == .ready else {
            throw .account(channel: channel.key, reason: "the account is not logged in here")
        }
        let reading = AccountReading(client: session.client, flood: flood, names: names, now: { [clock] in clock.now() })
        // A chat this process already read is not asked for again (its title is kept).
        let known = route?.accountChatID.flatMap { id in
            state.withLock { $0.chats[id]?.title }.map { TDChat(id: id, title: $0) }
        }
        let chat: TDChat
        if let known {
            chat = known
        } else {
            switch try await reading.chat(for: channel, route: route) {
            case .chat(let found): chat = found
            case .notJoined(let join): return .notJoined(join)
            }
        }
        let mapping = Self.mapping(for: channel)
        state.withLock { $0.chats[chat.id] = Chat(channelID: channel.id, title: chat.title, mapping: mapping) }
        await open(chat.id, channel: channel.key)
        let (messages, pages) = try await reading.history(chatID: chat.id, channel: channel, since: since,
                                                          lastMessageID: fetchState?.lastMessageID)
        let origins = await reading.origins(of: messages)
        let posts = mapping.posts(messages, origins: origins)
        var metadata = channel.metadata
        metadata.title = chat.title
        return AccountFetchResult(result: SourceResult(posts: posts, metadata: metadata, pages: pages), chatID: chat.id)
    }

    // MARK: Pictures

    /// Serves the pictures digests ask for, while the service runs.
    private func servePictures(every poll: TimeInterval) async {
        while !Task.isCancelled {
            await servePictureRequests()
            do {
                try await clock.sleep(seconds: poll)
            } catch {
                return
            }
        }
    }

    /// One round of picture requests, served only while this process owns the logged-in account.
    func servePictureRequests() async {
        guard let pictures, let client = state.withLock({ s -> TDClient? in
            guard s.ownsLease, let client = s.session?.client, client.currentAuthorizationState == .ready else { return nil }
            return client
        }) else { return }
        let served = await AccountPictures(client: client, store: store, settings: pictures, clock: clock, logger: logger).serve()
        metrics.picturesDownloaded.increment(by: Int64(served.downloaded))
        metrics.picturesFailed.increment(by: Int64(served.failed))
    }

    // MARK: Live updates

    private struct NewMessage: Decodable { let message: TDMessage }
    private struct ChangedMessage: Decodable {
        let chatID: Int64
        let messageID: Int64
        enum CodingKeys: String, CodingKey { case chatID = "chat_id", messageID = "message_id" }
    }

    /// New posts and edits of the channels this process reads, stored as they arrive; ends when the session closes.
    func consumeUpdates(of session: AccountSession) async {
        let decoder = JSONDecoder()
        for await update in session.client.updates {
            do {
                switch TDType(rawValue: update.type) {
                case .updateNewMessage?:
                    try await stored(try decoder.decode(NewMessage.self, from: update.json).message, edit: false)
                case .updateMessageContent?, .updateMessageEdited?:
                    let changed = try decoder.decode(ChangedMessage.self, from: update.json)
                    guard state.withLock({ $0.chats[changed.chatID] }) != nil else { continue }
                    let message = try await session.client.call(.getMessage(chatID: changed.chatID, messageID: changed.messageID), as: TDMessage.self)
                    try await stored(message, edit: true)
                default:
                    continue
                }
            } catch {
                logger.warning("could not store a live update", metadata: ["type": "\(update.type)", "error": "\(error)"])
            }
        }
    }

    private func stored(_ message: TDMessage, edit: Bool) async throws {
        guard let (chat, client) = state.withLock({ s -> (Chat, TDClient)? in
            guard let chat = s.chats[message.chatID], let client = s.session?.client else { return nil }
            return (chat, client)
        }) else { return }
        var parts = [message]
        if message.mediaAlbumID != 0 {
            parts = state.withLock { s in
                var album = s.albums[message.mediaAlbumID] ?? []
                album.removeAll { $0.id == message.id }
                album.append(message)
                if s.albums.count > 200 { s.albums.removeAll() }
                s.albums[message.mediaAlbumID] = album
                return album
            }
        }
        let origins = await AccountReading(client: client, flood: flood, names: names, now: { [clock] in clock.now() })
            .origins(of: parts)
        guard let post = chat.mapping.posts(parts, origins: origins, fetchedAt: clock.now()).first else { return }
        if edit || parts.count > 1 {
            try await store.upsertPost(post, channelID: chat.channelID)
        } else {
            let result = try await store.savePosts([post], channelID: chat.channelID, outcome: nil, dedupWindow: dedupWindow)
            if result.saved > 0 { onSaved(chat.mapping.channelKey, result.saved) }
        }
        metrics.updatesSaved.increment()
    }
}
