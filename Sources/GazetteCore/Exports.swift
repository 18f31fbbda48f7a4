// The version lives in a target of its own so the standalone renderer can show it without linking Core.
@_exported import GazetteBuildInfo
