import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The parties' many-to-many table becomes the model AgreementParty (the same table, no
    change in the database), which gains the party's last day."""

    dependencies = [
        ("agreements", "0007_guarantee_period_at_least_a_month"),
        ("stock", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AgreementParty",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "allocationagreement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="agreements.allocationagreement",
                                verbose_name="agreement",
                            ),
                        ),
                        (
                            "housingorganisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="stock.housingorganisation",
                                verbose_name="housing organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "party to an agreement",
                        "verbose_name_plural": "parties to agreements",
                        "db_table": "agreements_allocationagreement_parties",
                        "unique_together": {("allocationagreement", "housingorganisation")},
                    },
                ),
                migrations.AlterField(
                    model_name="allocationagreement",
                    name="parties",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="agreements",
                        through="agreements.AgreementParty",
                        to="stock.housingorganisation",
                        verbose_name="parties (housing organisations)",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="agreementparty",
            name="until",
            field=models.DateField(
                blank=True,
                help_text="The last day the organisation is party to the agreement.",
                null=True,
                verbose_name="party until",
            ),
        ),
    ]
