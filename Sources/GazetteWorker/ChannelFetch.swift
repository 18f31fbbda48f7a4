import Foundation
import GazetteCore
import GazetteSources
import Tracing

extension FetchWorker {
    /// Fetches and saves one channel. Never throws: every failure is recorded on the channel and counted.
    /// The work runs inside a `fetch.channel` span: the page requests are its children, and log lines written
    /// meanwhile carry its trace and span ids.
    func process(_ channel: Channel, passStartedAt: Date, leased: Bool) async -> ChannelReport {
        await withSpan("fetch.channel") { span in
            span.attributes["gazette.channel"] = channel.key
            span.attributes["gazette.channel.kind"] = channel.kind.rawValue
            let report = await fetch(channel, passStartedAt: passStartedAt, leased: leased)
            metrics.channelsProcessed.increment()
            if let errorType = report.errorType { span.attributes["gazette.error_type"] = errorType.rawValue }
            span.attributes["gazette.posts.saved"] = report.saved
            return report
        }
    }

    private func fetch(_ channel: Channel, passStartedAt: Date, leased: Bool) async -> ChannelReport {
        let started = now()
        var report = ChannelReport(channel: channel.key, status: .ok, saved: 0, skipped: 0, pages: 0,
                                   errorType: nil, error: nil, duration: 0)
        metrics.touch(channel: channel.key, feed: channel.kind == .feed)
        // Due again at the next pass: a little before `interval` after this pass started, so the next pass finds it.
        let nextDue = passStartedAt.addingTimeInterval(settings.interval * 0.9)

        if channel.kind == .botapi {
            // Bot API channels arrive as bot updates; nothing to fetch.
            report.status = .skipped
            await storeCall(&report, leased: leased, channel: channel) {
                try await self.store.recordFetch(channelID: channel.id, owner: self.settings.owner,
                                                 outcome: .success(at: started, nextAttemptAt: nextDue, etag: nil, lastModified: nil))
            }
            report.duration = now().timeIntervalSince(started)
            return report
        }

        let fetchState: FetchState?
        let route: FetchRoute?
        do {
            fetchState = try await store.fetchState(channelID: channel.id)
            route = channel.kind == .telegram ? try await store.fetchRoutes(channelIDs: [channel.id])[channel.id] : nil
        } catch {
            return await databaseFailure(report, channel: channel, leased: leased, error: error, started: started)
        }
        var throughAccount = false
        if channel.kind == .telegram {
            let resolved = ResolvedRoute.resolve(channel.ref, route: route, accountReady: account?.isReady ?? false)
            if resolved.method == .account {
                if resolved.waitingForLogin {
                    return await waitingForLogin(report, channel: channel, resolved: resolved, leased: leased, started: started, nextDue: nextDue)
                }
                throughAccount = true
            }
        }
        let since = started.addingTimeInterval(-settings.postTTL)
        let result: SourceResult
        do {
            if throughAccount, let account {
                let fetched = try await account.fetch(channel, route: route, since: since, state: fetchState)
                if let join = fetched.join {
                    return await notJoined(report, channel: channel, join: join, route: route, leased: leased, started: started, nextDue: nextDue)
                }
                result = fetched.result
                if route?.accountChatID != fetched.chatID || route?.method != .account {
                    let reason = route?.method == .account ? (route?.reason ?? "read through the account")
                        : channel.ref.needsAccount ? "joined through the invite link" : "read through the account"
                    // Not remembering the chat id only costs a lookup next time; the posts are saved either way.
                    try? await store.recordFetchMethod(channelID: channel.id, method: .account, reason: reason, accountChatID: fetched.chatID)
                }
                if route?.accountJoin != nil {
                    // Joined: the channel no longer shows a pending join. A failure only leaves it shown until next time.
                    do {
                        try await store.recordAccountJoin(channelID: channel.id, nil)
                    } catch {
                        logger.warning("could not clear the channel's join state", metadata: ["channel": "\(channel.key)", "error": "\(error)"])
                    }
                }
            } else {
                result = try await sources.fetch(channel.ref, since: since, state: fetchState)
            }
        } catch {
            if Task.isCancelled { return await release(report, channel: channel, leased: leased, started: started) }
            let failures = (fetchState?.consecutiveFailures ?? 0) + 1
            let next = settings.channelBackoff.nextAttempt(after: now(), failures: failures, retryAfter: error.retryAfter)
            let errorType = FetchErrorType.source(error.errorType)
            metrics.error(errorType)
            if case .noPublicPreview = error, case .telegram = channel.ref, (route?.via ?? .auto) == .auto {
                // The fallback chain: without a public preview, `auto` channels are read through the account.
                await storeCall(&report, leased: leased, channel: channel) {
                    try await self.store.recordFetchMethod(channelID: channel.id, method: .account,
                                                           reason: "t.me shows no public preview", accountChatID: nil)
                }
            }
            report.status = .failed
            report.errorType = errorType
            report.error = error.description
            logger.warning("channel fetch failed", metadata: [
                "channel": "\(channel.key)", "error_type": "\(errorType.rawValue)", "error": "\(error.description)",
                "failures": "\(failures)", "retry_at": "\(next)",
            ])
            await storeCall(&report, leased: leased, channel: channel) {
                try await self.store.recordFetch(channelID: channel.id, owner: self.settings.owner,
                                                 outcome: .failure(at: started, error: error.description, nextAttemptAt: next))
            }
            report.duration = now().timeIntervalSince(started)
            return report
        }
        report.pages = result.pages
        if Task.isCancelled { return await release(report, channel: channel, leased: leased, started: started) }

        do {
            if let metadata = result.metadata, metadata != channel.metadata {
                try await store.updateChannelMetadata(channelID: channel.id, metadata)
            }
            let fetchedAt = now()
            let posts = result.posts.map { post -> Post in
                var p = post
                p.fetchedAt = p.fetchedAt ?? fetchedAt
                return p
            }
            let saved = try await store.savePosts(posts, channelID: channel.id,
                                                  outcome: .success(at: fetchedAt, nextAttemptAt: nextDue, etag: result.etag,
                                                                    lastModified: result.lastModified),
                                                  dedupWindow: settings.dedupWindow)
            report.saved = saved.saved
            report.skipped = saved.skipped
            report.status = result.notModified ? .notModified : .ok
            metrics.saved(channel: channel.key, saved.saved)
            metrics.skipped(channel: channel.key, saved.skipped)
            if let failure = result.partialFailure { partial(&report, channel: channel, failure: failure) }
            if !result.unreadDates.isEmpty { unreadDates(result.unreadDates, channel: channel) }
        } catch {
            if Task.isCancelled { return await release(report, channel: channel, leased: leased, started: started) }
            return await databaseFailure(report, channel: channel, leased: leased, error: error, started: started)
        }
        report.duration = now().timeIntervalSince(started)
        return report
    }

    /// An older page failed after newer ones were read: the newer posts are saved (above), the failure is counted
    /// under its error type and shown in the channel's report. The next pass reads the newer pages again.
    private func partial(_ report: inout ChannelReport, channel: Channel, failure: SourceError) {
        let errorType = FetchErrorType.source(failure.errorType)
        metrics.error(errorType)
        report.status = .partial
        report.errorType = errorType
        report.error = "an older page failed, the newer posts were saved: \(failure.description)"
        logger.warning("older page failed; newer posts saved", metadata: [
            "channel": "\(channel.key)", "error_type": "\(errorType.rawValue)", "error": "\(failure.description)",
            "saved": "\(report.saved)",
        ])
    }

    /// Items whose date no known form reads are counted on every fetch that returns them and logged once per feed
    /// (per process), with the first such date as an example.
    private func unreadDates(_ raw: [String], channel: Channel) {
        metrics.unparsedDates(channel: channel.key, raw.count)
        guard loggedUnreadDates.withLock({ $0.insert(channel.key).inserted }) else { return }
        logger.warning("feed items with unreadable dates: dated from the feed or their neighbours", metadata: [
            "channel": "\(channel.key)", "items": "\(raw.count)", "example": "\(raw[0].prefix(100))",
        ])
    }

    /// A channel only the user account can read while no account is logged in: kept, recorded as waiting for login
    /// (what `channels list` and the digest show) and looked at again next pass.
    private func waitingForLogin(_ report: ChannelReport, channel: Channel, resolved: ResolvedRoute, leased: Bool,
                                 started: Date, nextDue: Date) async -> ChannelReport {
        var r = report
        r.status = .waitingForLogin
        r.error = resolved.reason
        await storeCall(&r, leased: leased, channel: channel) {
            try await self.store.recordFetch(channelID: channel.id, owner: self.settings.owner,
                                             outcome: .failure(at: started, error: "waiting for login: \(resolved.reason)", nextAttemptAt: nextDue))
        }
        r.duration = now().timeIntervalSince(started)
        return r
    }

    /// A private channel the account is not a member of yet: where joining stands is recorded (what `channels list`,
    /// MCP, the bot and the digest show) and the link is checked again next pass. A join request awaiting approval is
    /// not a failure; a guard bot's approval or its refusal needs the user, and counts as an `account` error.
    private func notJoined(_ report: ChannelReport, channel: Channel, join: AccountJoin, route: FetchRoute?, leased: Bool,
                           started: Date, nextDue: Date) async -> ChannelReport {
        var r = report
        r.error = join.summary
        if join == .requested {
            r.status = .skipped
        } else {
            r.status = .failed
            r.errorType = .source(.account)
            metrics.error(.source(.account))
            logger.warning("channel fetch failed", metadata: ["channel": "\(channel.key)", "error_type": "account", "error": "\(join.summary)"])
        }
        await storeCall(&r, leased: leased, channel: channel) {
            if route?.accountJoin != join { try await self.store.recordAccountJoin(channelID: channel.id, join) }
            try await self.store.recordFetch(channelID: channel.id, owner: self.settings.owner,
                                             outcome: .failure(at: started, error: join.summary, nextAttemptAt: nextDue))
        }
        r.duration = now().timeIntervalSince(started)
        return r
    }

    /// Shutdown interrupted the channel: give the lease back untouched so another worker can take it at once.
    private func release(_ report: ChannelReport, channel: Channel, leased: Bool, started: Date) async -> ChannelReport {
        var r = report
        r.status = .released
        r.duration = now().timeIntervalSince(started)
        guard leased else { return r }
        let store = self.store
        let owner = settings.owner
        // The current task is cancelled; the release runs in a task of its own so it is not cancelled too.
        let outcome = await Task { () -> String? in
            do {
                try await store.releaseLease(channelID: channel.id, owner: owner)
                return nil
            } catch {
                return "\(error)"
            }
        }.value
        if let outcome {
            logger.warning("could not release lease; it expires by itself", metadata: ["channel": "\(channel.key)", "error": "\(outcome)"])
        }
        return r
    }

    private func databaseFailure(_ report: ChannelReport, channel: Channel, leased: Bool, error: any Error,
                                 started: Date) async -> ChannelReport {
        var r = report
        metrics.error(.database)
        r.status = .failed
        r.errorType = .database
        r.error = "\(error)"
        logger.error("saving channel failed", metadata: ["channel": "\(channel.key)", "error": "\(error)"])
        // The lease is left to expire if the database cannot even take it back.
        _ = await release(r, channel: channel, leased: leased, started: started)
        r.duration = now().timeIntervalSince(started)
        return r
    }

    /// A store write whose failure turns the channel's report into a database failure.
    private func storeCall(_ report: inout ChannelReport, leased: Bool, channel: Channel,
                           _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            metrics.error(.database)
            report.status = .failed
            report.errorType = .database
            report.error = "\(error)"
            logger.error("recording fetch state failed", metadata: ["channel": "\(channel.key)", "error": "\(error)"])
        }
    }
}
