import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0006_turn_handed_back'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agreementversion',
            name='guarantee_period_months',
            field=models.PositiveSmallIntegerField(blank=True, default=12, help_text='Empty: no time limit.', null=True, validators=[django.core.validators.MinValueValidator(1, 'The guarantee period must be at least 1 month. Leave the field empty if there is no time limit.')], verbose_name='guarantee period for arrears (months)'),
        ),
        migrations.AlterField(
            model_name='agreementversion',
            name='guarantee_repairs_period_months',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Empty: no time limit.', null=True, validators=[django.core.validators.MinValueValidator(1, 'The guarantee period must be at least 1 month. Leave the field empty if there is no time limit.')], verbose_name='guarantee period for move-out repairs (months)'),
        ),
    ]
