"""bench commands of gz_innovation."""

import click
from frappe.commands import get_site, pass_context


@click.command("gz-import-legacy")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
	"--report", type=click.Path(dir_okay=False), help="Also write the skip report to this CSV file."
)
@pass_context
def import_legacy(context, paths, report=None):
	"""Import the previous platform's export (folders or enterprises/users/indicators .csv/.json files)."""
	import frappe

	from gz_innovation.legacy import imports
	from gz_innovation.legacy.export import ExportError

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		frappe.local.lang = frappe.db.get_default("lang") or "zh"

		def progress(done, total):
			click.echo(f"  {done}/{total} rows")

		try:
			name, result = imports.run_from_paths(list(paths), progress=progress)
		except ExportError as e:
			raise click.ClickException(str(e))
		doc = frappe.get_doc("Legacy Import", name)
		if result is None:
			raise click.ClickException(f"{name}: {doc.error}")
		click.echo(
			f"{name}: users {doc.users_created} created, {doc.users_updated} updated, "
			f"{doc.users_unchanged} unchanged; enterprises {doc.enterprises_created} created, "
			f"{doc.enterprises_updated} updated, {doc.enterprises_unchanged} unchanged; "
			f"figures {doc.figures_imported}; rows skipped {doc.rows_skipped}, with warnings {doc.rows_with_warnings}"
		)
		if report:
			with open(report, "w", encoding="utf-8", newline="") as f:
				f.write(result.report_csv())
			click.echo(f"report: {report}")
		else:
			click.echo(f"report: {doc.report_file} (Desk: /app/legacy-import/{name})")
	finally:
		frappe.destroy()


@click.command("gz-load-demo")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@pass_context
def load_demo(context, path):
	"""Load the demo data sets of a fixtures/demo folder (its *.json files, then department/): what
	scripts/run.sh gives a newcomer. A record the rules refuse stops the load, naming the file, the
	record and the rule; nothing of that file set is kept."""
	import frappe

	from gz_innovation.cultivation import demo as department_demo
	from gz_innovation.setup.demo import DemoDataError, load_demo_data

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		frappe.local.lang = frappe.db.get_default("lang") or "zh"
		try:
			records = load_demo_data(path)
			submissions = department_demo.load(f"{path}/department")
		except DemoDataError as e:
			raise click.ClickException(str(e))
		click.echo(f"demo data: {len(records)} records and {len(submissions)} department submissions added")
	finally:
		frappe.destroy()


commands = [import_legacy, load_demo]
