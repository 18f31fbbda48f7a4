// GazetteDigest
