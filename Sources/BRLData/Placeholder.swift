// BRLData
