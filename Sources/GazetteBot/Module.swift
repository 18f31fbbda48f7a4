// GazetteBot
