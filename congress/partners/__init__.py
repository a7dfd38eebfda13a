"""Partners of the edition: levels, logos, links; the partners page and the home strip."""
