"""Analysis of spike trains: statistics (`spiketrains`) and spike coding of values (`spikecode`: rate and
latency codes; not to be confused with the NEF's encoders)."""
