// BRLBench
