"""Court documents: the NLR review report and the note of the hearing, drafted, approved,
issued and frozen."""
