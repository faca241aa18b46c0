"""What coordinators read: results from nbgrader's gradebook and from other sites' bundles,
merged as `records`; readable exports (results, Pix competences, La Coop's activity report);
bundles between laptops; the dashboard's figures and the space `/coordination/`.
See docs/architecture.md, « Coordination »."""
