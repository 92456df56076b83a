"""Primary sources staff check credentials against: licensing-board look-ups per
jurisdiction, national registers, and certifying bodies. The review queue links to them.

NEEDS PERIODIC REVIEW. Boards move their look-up pages, merge and rename (British
Columbia's CTCMA became the CCHPBC in 2024). These addresses were compiled without live
access and have not been opened from here: check each one before relying on it, and
again at least once a year. Where a state board's look-up page is not known, the entry
points at NCCAOM's state licensure page, which links every state's board. Add or correct
entries here; nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from common import jurisdictions


@dataclass(frozen=True)
class Source:
    name: str
    url: str


NCCAOM_STATE_BOARDS = "https://www.nccaom.org/state-licensure/"

# License look-ups by jurisdiction code (see common.jurisdictions.code).
LICENSE_SOURCES: dict[str, list[Source]] = {
    "US-AZ": [Source("Arizona Acupuncture Board of Examiners", "https://acupuncture.az.gov/")],
    "US-CA": [Source("California Acupuncture Board (DCA license search)", "https://search.dca.ca.gov/")],
    "US-CO": [Source("Colorado DORA license look-up", "https://apps.colorado.gov/dora/licensing/Lookup/LicenseLookup.aspx")],
    "US-CT": [Source("Connecticut eLicense look-up", "https://www.elicense.ct.gov/Lookup/LicenseLookup.aspx")],
    "US-FL": [Source("Florida Board of Acupuncture (MQA search)", "https://mqa-internet.doh.state.fl.us/MQASearchServices/HealthCareProviders")],
    "US-HI": [Source("Hawaii professional license search", "https://mypvl.dcca.hawaii.gov/public-license-search/")],
    "US-IL": [Source("Illinois IDFPR license look-up", "https://online-dfpr.micropact.com/lookup/licenselookup.aspx")],
    "US-MA": [Source("Massachusetts Board of Registration in Medicine (Committee on Acupuncture)", "https://findmydoctor.mass.gov/")],
    "US-MD": [Source("Maryland Board of Acupuncture", "https://health.maryland.gov/bacc/")],
    "US-NJ": [Source("New Jersey license verification", "https://newjersey.mylicense.com/verification/")],
    "US-NM": [Source("New Mexico Board of Acupuncture and Oriental Medicine", "https://www.rld.nm.gov/boards-and-commissions/individual-boards-and-commissions/acupuncture-and-oriental-medicine/")],
    "US-NV": [Source("Nevada State Board of Oriental Medicine", "https://oriental-medicine.nv.gov/")],
    "US-NY": [Source("New York State Office of the Professions verification", "https://www.op.nysed.gov/verification-search")],
    "US-OH": [Source("Ohio eLicense verification", "https://elicense.ohio.gov/oh_verifylicense")],
    "US-OR": [Source("Oregon Medical Board license look-up", "https://omb.oregon.gov/search")],
    "US-PA": [Source("Pennsylvania PALS license search", "https://www.pals.pa.gov/#/page/search")],
    "US-TX": [Source("Texas Medical Board (Acupuncture) look-up", "https://profile.tmb.state.tx.us/")],
    "US-VA": [Source("Virginia Department of Health Professions look-up", "https://dhp.virginiainteractive.org/Lookup/Index")],
    "US-WA": [Source("Washington DOH provider credential search", "https://doh.wa.gov/licenses-permits-and-certificates/provider-credential-search")],
    "CA-AB": [Source("College of Acupuncturists of Alberta register", "https://acupuncturealberta.ca/")],
    "CA-BC": [Source("College of Complementary Health Professionals of BC register", "https://cchpbc.ca/")],
    "CA-ON": [Source("CTCMPAO public register (Ontario)", "https://www.ctcmpao.on.ca/")],
    "CA-QC": [Source("Ordre des acupuncteurs du Québec", "https://www.o-a-q.org/")],
    "GB": [
        Source("British Acupuncture Council register", "https://acupuncture.org.uk/"),
        Source("CNHC register", "https://www.cnhcregister.org.uk/"),
    ],
    "AU": [Source("Ahpra register of practitioners", "https://www.ahpra.gov.au/Registration/Registers-of-Practitioners.aspx")],
    "NZ": [Source("Acupuncture NZ register", "https://www.acupuncture.org.nz/")],
}  # fmt: skip

# Certification look-ups by certifying body.
CERTIFICATION_SOURCES: dict[str, list[Source]] = {
    "NCCAOM": [Source("NCCAOM practitioner directory", "https://www.nccaom.org/find-a-practitioner-directory/")],
}  # fmt: skip


def sources_for_license(country: str, region: str) -> list[Source]:
    """Where to check a license issued in this jurisdiction. A US state without a known
    look-up gets NCCAOM's list of state boards, so staff always have a starting point."""
    found = LICENSE_SOURCES.get(jurisdictions.code(country, region))
    if found:
        return found
    if country == "US":
        name = jurisdictions.label(country, region)
        return [Source(f"{name} acupuncture board (via NCCAOM's list)", NCCAOM_STATE_BOARDS)]
    return []


def sources_for_certification(body: str) -> list[Source]:
    return CERTIFICATION_SOURCES.get(body.strip().upper(), [])
