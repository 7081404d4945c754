"""Existing registry data brought to the dated model, without loss.

- Sites get a start: the CRMR's first mandate or MIG allocation, else the date of Instruction
  DGOS/PF2/2013/308 (29 July 2013).
- Transfers made before the dated model wrote the receiving establishment as coordinating at once, even
  for a future date. They are found again from the MIG rows (an allocation of one establishment ending on
  D while another's starts on D) and the site roles are rebuilt as dated rows: the former coordinating
  site until D − 1, the swapped roles from D.
- A CRMR with a MIG amount but no allocation row gets one at its coordinating establishment.
- A labelled CRC SEP gets its coordinator from its application (the name the ARS labelled).
- ``Crmr.coordinating_establishment`` and ``mig_amount`` are set to their value today.
"""

import datetime
from decimal import Decimal

from django.db import migrations

ORIGIN = datetime.date(2013, 7, 29)
TITLES = ("Pr", "Dr", "M.", "Mme", "Professeur", "Docteur", "Madame", "Monsieur")


def _active(rows, on):
    return [r for r in rows if r.start <= on and (r.end is None or r.end > on)]


def forwards(apps, schema_editor):
    Crmr = apps.get_model("centres", "Crmr")
    CrmrSite = apps.get_model("centres", "CrmrSite")
    Mandate = apps.get_model("centres", "CoordinatorMandate")
    Mig = apps.get_model("centres", "MigAllocation")
    today = datetime.date.today()

    for crmr in Crmr.objects.all():
        mandates = list(Mandate.objects.filter(crmr=crmr))
        migs = list(Mig.objects.filter(crmr=crmr).order_by("start", "pk"))
        starts = [m.start for m in mandates] + [a.start for a in migs]
        origin = min(starts) if starts else ORIGIN
        sites = list(CrmrSite.objects.filter(crmr=crmr))
        for site in sites:
            site.start = origin
            site.save(update_fields=["start"])

        if not migs and crmr.mig_amount:
            migs.append(
                Mig.objects.create(
                    crmr=crmr,
                    establishment_id=crmr.coordinating_establishment_id,
                    amount=crmr.mig_amount,
                    start=origin,
                    reason="Dotation enregistrée avant le registre daté",
                )
            )

        # Transfers: allocation of X ends on D, allocation of Y != X starts on D.
        transfers = []
        for ended in migs:
            if ended.end is None:
                continue
            for started in migs:
                if started.start == ended.end and started.establishment_id != ended.establishment_id:
                    transfers.append((ended.end, ended.establishment_id, started.establishment_id))
                    break
        transfers.sort()
        if transfers:
            by_est = {s.establishment_id: s for s in sites}
            # Roles before the first transfer: the first former establishment coordinated.
            for site in sites:
                site.is_coordinating = site.establishment_id == transfers[0][1]
                site.start = origin
                site.end = None
                site.save(update_fields=["is_coordinating", "start", "end"])
            for on, old_est, new_est in transfers:
                for est, coordinating in ((old_est, False), (new_est, True)):
                    site = by_est.get(est)
                    if site is not None:
                        site.end, site.ended_by = on, "Reprise des données"
                        site.save(update_fields=["end", "ended_by"])
                    by_est[est] = CrmrSite.objects.create(
                        crmr=crmr,
                        establishment_id=est,
                        hospital_id=site.hospital_id if site else None,
                        lead_id=site.lead_id if site else None,
                        is_coordinating=coordinating,
                        start=on,
                        source="Reprise des données (transfert de la coordination)",
                    )

        # Today's values on the CRMR row.
        sites = list(CrmrSite.objects.filter(crmr=crmr))
        coordinating = [s for s in _active(sites, today) if s.is_coordinating]
        amount = sum((a.amount for a in _active(list(Mig.objects.filter(crmr=crmr)), today)), Decimal("0"))
        fields = []
        if coordinating and coordinating[0].establishment_id != crmr.coordinating_establishment_id:
            crmr.coordinating_establishment_id = coordinating[0].establishment_id
            fields.append("coordinating_establishment")
        if Mig.objects.filter(crmr=crmr).exists() and amount != crmr.mig_amount:
            crmr.mig_amount = amount
            fields.append("mig_amount")
        if fields:
            crmr.save(update_fields=fields)

    # CRC SEP coordinators, from the application that was labelled.
    Centre = apps.get_model("centres", "CrcSepCentre")
    CrcSepMandate = apps.get_model("centres", "CrcSepMandate")
    Person = apps.get_model("centres", "Person")
    try:
        Application = apps.get_model("labellisation", "Application")
    except LookupError:
        Application = None
    for centre in Centre.objects.filter(coordinator__isnull=True):
        app = Application.objects.filter(centre=centre).first() if Application else None
        words = (app.coordinator_name if app else "").split()
        title = words.pop(0) if words and words[0] in TITLES else ""
        if not words:
            continue
        first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", words[0])
        person = Person.objects.filter(first_name__iexact=first, last_name__iexact=last).first()
        if person is None:
            person = Person.objects.create(
                first_name=first, last_name=last, title=title, specialty=app.coordinator_specialty[:200]
            )
        centre.coordinator = person
        centre.save(update_fields=["coordinator"])
        CrcSepMandate.objects.create(
            centre=centre, person=person, start=centre.labelled_on, end=centre.withdrawn_on, source="Reprise"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0005_dated_registry"),
        ("labellisation", "0002_application_recent_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
