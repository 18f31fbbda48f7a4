// GazettePDF
