"""Call for papers: the call's window and rules, submissions, co-speakers."""
