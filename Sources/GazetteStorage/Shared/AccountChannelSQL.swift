/// The SQL condition, on `fetch_state f`, of a channel read through the account (both stores use it): an invite link,
/// `--via account`, or `auto` where the worker found no public preview — `ResolvedRoute.resolve` in SQL.
enum AccountChannelSQL {
    static let readThroughAccount = """
        EXISTS (SELECT 1 FROM channels ac WHERE ac.id = f.channel_id AND ac.kind = 'telegram'
                AND (ac.key LIKE '+%' OR ac.fetch_via = 'account' OR (ac.fetch_via = 'auto' AND f.fetch_method = 'account')))
        """
}
