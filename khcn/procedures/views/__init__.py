"""Pages of the administrative procedures: public (catalogue, lookup, certificate register),
applicants (filing, their dossiers, supplements) and the department's staff."""
