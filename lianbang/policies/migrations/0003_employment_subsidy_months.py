"""就业补贴 (跨省务工稳岗就业补贴) judged on months employed: a labour member working 省外 whose
current employment began at least 3 full months before the evaluation date.

Only a policy still as shipped is changed (an administrator's own edit stays); its version goes
up so that what judged a household can be told apart. Reversible the same way.
"""

from django.db import migrations

CODE = "employment_subsidy"
_ACTIVE = {"fact": "active", "op": "=", "value": True}
_LABOUR = {"fact": "labour", "op": "=", "value": True}
_OUT_OF_PROVINCE = {"fact": "work_location", "op": "=", "value": "省外"}
_SUPPORTED = {
    "any": [
        {"fact": "category", "op": "=", "value": "脱贫户"},
        {"fact": "monitoring_type", "op": "in", "value": ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"]},
    ]
}
OLD = {
    "eligibility": {"all": [_SUPPORTED, {"any_member": {"all": [_ACTIVE, _LABOUR, _OUT_OF_PROVINCE]}}]},
    "note": "条件语言尚无“务工时长”事实：稳定就业满3个月在申报时凭用工证明核实",
}
NEW = {
    "eligibility": {
        "all": [
            _SUPPORTED,
            {
                "any_member": {
                    "all": [
                        _ACTIVE,
                        _LABOUR,
                        _OUT_OF_PROVINCE,
                        {"fact": "months_employed", "op": ">=", "value": 3},
                    ]
                }
            },
        ]
    },
    "note": "连续务工月数按登记的务工时间计至评估日（足月）；申报时凭用工证明核实",
}


def _replace(apps, before, after):
    Policy = apps.get_model("policies", "Policy")
    policy = Policy.objects.filter(code=CODE).first()
    if policy is None or policy.eligibility != before["eligibility"]:
        return
    policy.eligibility, policy.note = after["eligibility"], after["note"]
    policy.version += 1
    policy.save(update_fields=["eligibility", "note", "version", "updated_at"])


def forwards(apps, schema_editor):
    _replace(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _replace(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("policies", "0002_default_policies")]

    operations = [migrations.RunPython(forwards, backwards)]
