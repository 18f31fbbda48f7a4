// GazetteStorage
