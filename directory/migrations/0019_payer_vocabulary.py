"""The first curated list of payers. Staff keep it in the admin from here on; a coverage
note is written only where the payer's rule is known, stable and published."""

from django.db import migrations

MEDICARE_NOTE = (
    "Medicare Part B covers acupuncture only for chronic low back pain (lasting 12 weeks or "
    "more, with no other known cause): up to 12 visits in 90 days, 8 more if you are "
    "improving, and no more than 20 a year. It must be given by a physician, or by a "
    "practitioner who meets Medicare's requirements (a master's or doctoral degree from an "
    "accredited acupuncture school and a current state license) under the supervision of a "
    "physician or other eligible provider. Licensed acupuncturists cannot bill Medicare "
    "directly."
)
HSA_FSA_NOTE = (
    "Acupuncture is a medical expense you can pay for from a health savings account (HSA) "
    "or a flexible spending account (FSA)."
)
VA_NOTE = (
    "VA pays for care from a community provider only when VA has approved it before your "
    "visit: ask your VA care team for a referral first."
)
BC_NOTE = (
    "For people with MSP supplementary benefits (a low income): a partial payment per visit, "
    "for up to 10 visits a year shared with chiropractic, massage therapy, naturopathy, "
    "physiotherapy and non-surgical podiatry."
)
CMS = (
    "CMS National Coverage Determination 30.3.3, Acupuncture for Chronic Low Back Pain",
    "https://www.cms.gov/medicare-coverage-database/view/ncd.aspx?ncdid=373",
)
IRS = ("IRS Publication 502, Medical and Dental Expenses", "https://www.irs.gov/publications/p502")
VA = ("VA Community Care", "https://www.va.gov/COMMUNITYCARE/")
BC = (
    "Government of British Columbia, MSP supplementary benefits",
    "https://www2.gov.bc.ca/gov/content/health/health-drug-coverage/msp/bc-residents/benefits/services-covered-by-msp/supplementary-benefits",
)

# (slug, name, kind, country, ordering, note, (source title, source URL))
PAYERS = [
    # United States
    ("aetna-us", "Aetna", "insurer", "US", 100, "", None),
    ("american-specialty-health-us", "American Specialty Health (ASH)", "insurer", "US", 100, "", None),
    ("anthem-us", "Anthem Blue Cross", "insurer", "US", 100, "", None),
    ("blue-cross-blue-shield-us", "Blue Cross Blue Shield", "insurer", "US", 100, "", None),
    ("cigna-us", "Cigna", "insurer", "US", 100, "", None),
    ("humana-us", "Humana", "insurer", "US", 100, "", None),
    ("kaiser-permanente-us", "Kaiser Permanente", "insurer", "US", 100, "", None),
    ("optum-us", "Optum", "insurer", "US", 100, "", None),
    ("unitedhealthcare-us", "UnitedHealthcare", "insurer", "US", 100, "", None),
    ("medicare-us", "Medicare", "government", "US", 10, MEDICARE_NOTE, CMS),
    ("medicaid-us", "Medicaid (varies by state)", "government", "US", 20, "", None),
    ("va-community-care-us", "VA Community Care", "government", "US", 30, VA_NOTE, VA),
    ("workers-compensation-us", "Workers' compensation", "workers_comp", "US", 100, "", None),
    ("auto-pip-us", "Auto insurance / personal injury protection (PIP)", "auto", "US", 100, "", None),
    ("hsa-fsa-us", "HSA / FSA", "account", "US", 100, HSA_FSA_NOTE, IRS),
    # Canada
    ("canada-life-ca", "Canada Life", "insurer", "CA", 100, "", None),
    ("blue-cross-ca", "Canadian Blue Cross", "insurer", "CA", 100, "", None),
    ("desjardins-ca", "Desjardins Insurance", "insurer", "CA", 100, "", None),
    ("green-shield-ca", "Green Shield Canada", "insurer", "CA", 100, "", None),
    ("manulife-ca", "Manulife", "insurer", "CA", 100, "", None),
    ("sun-life-ca", "Sun Life", "insurer", "CA", 100, "", None),
    ("bc-msp-supplementary-ca", "BC MSP supplementary benefits", "government", "CA", 100, BC_NOTE, BC),
    ("workers-compensation-ca", "Workers' compensation board (WCB, WSIB, CNESST)", "workers_comp", "CA", 100, "", None),
    ("auto-accident-benefits-ca", "Auto insurance accident benefits", "auto", "CA", 100, "", None),
    ("health-spending-account-ca", "Health spending account", "account", "CA", 100, "", None),
    # United Kingdom
    ("aviva-gb", "Aviva", "insurer", "GB", 100, "", None),
    ("axa-health-gb", "AXA Health", "insurer", "GB", 100, "", None),
    ("bupa-gb", "Bupa", "insurer", "GB", 100, "", None),
    ("simplyhealth-gb", "Simplyhealth (cash plan)", "insurer", "GB", 100, "", None),
    ("vitality-gb", "Vitality", "insurer", "GB", 100, "", None),
    ("wpa-gb", "WPA", "insurer", "GB", 100, "", None),
    # Australia
    ("australian-unity-au", "Australian Unity", "insurer", "AU", 100, "", None),
    ("bupa-au", "Bupa", "insurer", "AU", 100, "", None),
    ("hbf-au", "HBF", "insurer", "AU", 100, "", None),
    ("hcf-au", "HCF", "insurer", "AU", 100, "", None),
    ("medibank-au", "Medibank", "insurer", "AU", 100, "", None),
    ("nib-au", "nib", "insurer", "AU", 100, "", None),
    ("workers-compensation-au", "Workers' compensation", "workers_comp", "AU", 100, "", None),
    ("ctp-insurance-au", "Compulsory third party (CTP) insurance", "auto", "AU", 100, "", None),
    # New Zealand and Ireland
    ("acc-nz", "ACC (Accident Compensation Corporation)", "government", "NZ", 100, "", None),
    ("southern-cross-nz", "Southern Cross Health Insurance", "insurer", "NZ", 100, "", None),
    ("irish-life-health-ie", "Irish Life Health", "insurer", "IE", 100, "", None),
    ("laya-healthcare-ie", "Laya Healthcare", "insurer", "IE", 100, "", None),
    ("vhi-ie", "Vhi Healthcare", "insurer", "IE", 100, "", None),
]  # fmt: skip


def add_payers(apps, schema_editor):
    Payer = apps.get_model("directory", "Payer")
    for slug, name, kind, country, ordering, note, source in PAYERS:
        title, url = source or ("", "")
        Payer.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "country": country,
                "ordering": ordering,
                "coverage_note": note,
                "source_title": title,
                "source_url": url,
            },
        )


def remove_payers(apps, schema_editor):
    apps.get_model("directory", "Payer").objects.filter(
        slug__in=[payer[0] for payer in PAYERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0018_payers")]

    operations = [migrations.RunPython(add_payers, remove_payers)]
