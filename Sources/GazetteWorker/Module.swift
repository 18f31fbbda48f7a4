// GazetteWorker
