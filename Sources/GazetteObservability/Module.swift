// GazetteObservability
