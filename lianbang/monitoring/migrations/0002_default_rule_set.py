"""The default rule set (DOMAIN §4, version 1) and monitoring line, frozen as they shipped."""

import json
from decimal import Decimal

from django.db import migrations

DEFAULTS = json.loads(
    r"""{
 "rules": [
  {
   "code": "R_ILLNESS",
   "color": "red",
   "risk_type": "因病",
   "name": "因病致困",
   "reason": "近期有家庭成员确诊大病，或合规自付医疗支出达2万元",
   "reason_en": "a member was recently diagnosed with a serious illness, or self-paid medical costs reached 20,000",
   "condition": {
    "any": [
     {
      "any_event": {
       "all": [
        {
         "fact": "type",
         "op": "=",
         "value": "serious_illness"
        },
        {
         "fact": "recent",
         "op": "=",
         "value": true
        }
       ]
      }
     },
     {
      "fact": "medical_self_paid",
      "op": ">=",
      "value": 20000
     }
    ]
   }
  },
  {
   "code": "R_DEATH",
   "color": "red",
   "risk_type": "缺劳动力",
   "name": "劳动力死亡",
   "reason": "近期有劳动力成员死亡",
   "reason_en": "a member who was a labour member died recently",
   "condition": {
    "any_event": {
     "all": [
      {
       "fact": "type",
       "op": "=",
       "value": "death"
      },
      {
       "fact": "recent",
       "op": "=",
       "value": true
      },
      {
       "fact": "member_labour_at_event",
       "op": "=",
       "value": true
      }
     ]
    }
   }
  },
  {
   "code": "R_ACCIDENT",
   "color": "red",
   "risk_type": "因意外事故",
   "name": "严重意外事故",
   "reason": "近期发生严重意外事故",
   "reason_en": "a serious accident happened recently",
   "condition": {
    "any_event": {
     "all": [
      {
       "fact": "type",
       "op": "=",
       "value": "accident"
      },
      {
       "fact": "recent",
       "op": "=",
       "value": true
      },
      {
       "fact": "severity",
       "op": "=",
       "value": "serious"
      }
     ]
    }
   }
  },
  {
   "code": "R_DISASTER",
   "color": "red",
   "risk_type": "因自然灾害",
   "name": "自然灾害",
   "reason": "近期遭受自然灾害，损失达1万元或房屋受损",
   "reason_en": "a recent disaster caused a loss of 10,000 or more or damaged the house",
   "condition": {
    "any_event": {
     "all": [
      {
       "fact": "type",
       "op": "=",
       "value": "disaster"
      },
      {
       "fact": "recent",
       "op": "=",
       "value": true
      },
      {
       "any": [
        {
         "fact": "loss",
         "op": ">=",
         "value": 10000
        },
        {
         "fact": "house_damaged",
         "op": "=",
         "value": true
        }
       ]
      }
     ]
    }
   }
  },
  {
   "code": "R_BOTTOM_LINE",
   "color": "red",
   "risk_type": "三保障/饮水",
   "name": "底线保障缺失",
   "reason": "住房或饮水不安全，或有6–15岁辍学儿童，或有成员未参加基本医疗保险",
   "reason_en": "unsafe housing or water, a dropout aged 6–15, or a member without basic medical insurance",
   "condition": {
    "any": [
     {
      "fact": "housing_safe",
      "op": "=",
      "value": false
     },
     {
      "fact": "water_safe",
      "op": "=",
      "value": false
     },
     {
      "any_member": {
       "all": [
        {
         "fact": "active",
         "op": "=",
         "value": true
        },
        {
         "fact": "age",
         "op": ">=",
         "value": 6
        },
        {
         "fact": "age",
         "op": "<=",
         "value": 15
        },
        {
         "fact": "schooling",
         "op": "=",
         "value": "dropout"
        }
       ]
      }
     },
     {
      "any_member": {
       "all": [
        {
         "fact": "active",
         "op": "=",
         "value": true
        },
        {
         "fact": "medical_insurance",
         "op": "=",
         "value": ""
        }
       ]
      }
     }
    ]
   }
  },
  {
   "code": "R_BELOW_LINE",
   "color": "red",
   "risk_type": "收入低于监测线",
   "name": "收入低于监测线",
   "reason": "人均纯收入低于监测线",
   "reason_en": "per-capita net income is below the monitoring line",
   "condition": {
    "fact": "current_per_capita",
    "op": "<",
    "value": {
     "fact": "monitoring_line"
    }
   }
  },
  {
   "code": "Y_INCOME_DROP",
   "color": "yellow",
   "risk_type": "收入骤减",
   "name": "收入骤减",
   "reason": "人均纯收入比上年下降20%及以上",
   "reason_en": "per-capita net income fell by 20 % or more from the year before",
   "condition": {
    "fact": "current_per_capita",
    "op": "<=",
    "value": {
     "fact": "previous_per_capita",
     "times": "0.8"
    }
   }
  },
  {
   "code": "Y_NEAR_LINE",
   "color": "yellow",
   "risk_type": "收入临界",
   "name": "收入临界",
   "reason": "人均纯收入高于监测线但不足监测线的1.1倍",
   "reason_en": "per-capita net income is at the line but below 1.1 times it",
   "condition": {
    "all": [
     {
      "fact": "current_per_capita",
      "op": ">=",
      "value": {
       "fact": "monitoring_line"
      }
     },
     {
      "fact": "current_per_capita",
      "op": "<",
      "value": {
       "fact": "monitoring_line",
       "times": "1.1"
      }
     }
    ]
   }
  },
  {
   "code": "Y_JOB_LOSS",
   "color": "yellow",
   "risk_type": "因务工就业不稳",
   "name": "失业或零就业",
   "reason": "近期有成员失业且尚未再就业，或有劳动力而无人就业（零就业家庭）",
   "reason_en": "a member lost their job recently and has none now, or no labour member is employed",
   "condition": {
    "any": [
     {
      "any_event": {
       "all": [
        {
         "fact": "type",
         "op": "=",
         "value": "job_loss"
        },
        {
         "fact": "recent",
         "op": "=",
         "value": true
        },
        {
         "fact": "member_employed",
         "op": "=",
         "value": false
        }
       ]
      }
     },
     {
      "all": [
       {
        "fact": "labour_members",
        "op": ">=",
        "value": 1
       },
       {
        "fact": "employed_labour_members",
        "op": "=",
        "value": 0
       }
      ]
     }
    ]
   }
  },
  {
   "code": "Y_EXPENSE",
   "color": "yellow",
   "risk_type": "刚性支出增大",
   "name": "刚性支出增大",
   "reason": "合规自付医疗支出达5000元，或教育支出达1万元，或两者之和达家庭纯收入的一半",
   "reason_en": "self-paid medical costs of 5,000+, education costs of 10,000+, or both together half of the net income or more",
   "condition": {
    "any": [
     {
      "fact": "medical_self_paid",
      "op": ">=",
      "value": 5000
     },
     {
      "fact": "education_expense",
      "op": ">=",
      "value": 10000
     },
     {
      "all": [
       {
        "fact": "current_net_income",
        "op": ">",
        "value": 0
       },
       {
        "expr": {
         "add": [
          {
           "fact": "medical_self_paid"
          },
          {
           "fact": "education_expense"
          }
         ]
        },
        "op": ">=",
        "value": {
         "fact": "current_net_income",
         "times": "0.5"
        }
       }
      ]
     }
    ]
   }
  }
 ],
 "parameters": {
  "recent_days": 90,
  "stable_months": 6
 },
 "lines": [
  {
   "region_prefix": "53",
   "year": 2025,
   "amount": "8700.00"
  }
 ]
}"""
)


def add_defaults(apps, schema_editor):
    RuleSet = apps.get_model("monitoring", "RuleSet")
    Rule = apps.get_model("monitoring", "Rule")
    MonitoringLine = apps.get_model("monitoring", "MonitoringLine")
    rule_set = RuleSet.objects.create(
        version=1, name="默认规则（DOMAIN §4）", status="active", parameters=DEFAULTS["parameters"]
    )
    for position, rule in enumerate(DEFAULTS["rules"]):
        Rule.objects.create(rule_set=rule_set, position=position, **rule)
    for line in DEFAULTS["lines"]:
        MonitoringLine.objects.create(
            region_prefix=line["region_prefix"], year=line["year"], amount=Decimal(line["amount"])
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("monitoring", "RuleSet").objects.filter(version=1).delete()
    apps.get_model("monitoring", "MonitoringLine").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
