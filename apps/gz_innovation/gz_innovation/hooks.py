app_name = "gz_innovation"
app_title = "GZ Innovation"
app_publisher = "gz_innovation developers"
app_description = "贵州省技术创新平台培育 — Guizhou technology-innovation platform cultivation"
app_email = "dev@gz-innovation.invalid"
app_license = "mit"

export_python_type_annotations = True

# Site defaults (language, time zone, enabled languages) come from the site configuration
# templates under the repository's sites/ and are applied on install, migrate and before tests.
after_install = "gz_innovation.setup.install.after_install"
after_migrate = "gz_innovation.setup.install.after_migrate"
before_tests = "gz_innovation.setup.install.before_tests"

update_website_context = "gz_innovation.setup.website.translate_page_title"
