"""Deep learning's side: a numpy MLP on the digits (`ann`), the soft-LIF rate curve (`softlif`) and
ANN-to-SNN conversion (`conversion`)."""
