// GazetteSources
