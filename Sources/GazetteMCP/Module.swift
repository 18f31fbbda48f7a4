// GazetteMCP
