"""The default label taxonomy (7 大类、13 小类、137 项标签), frozen as it shipped.

Computed labels carry a condition in the language of ``lianbang.monitoring.conditions``;
manual labels (set by a grid worker) carry none. Administrators edit them from here on.
"""

import json

from django.db import migrations

TAXONOMY = json.loads(
    r"""[
 {
  "code": "household_basic",
  "name": "家庭基本",
  "subcategories": [
   {
    "code": "household_type",
    "name": "户类别",
    "labels": [
     {
      "code": "lifted_out",
      "name": "脱贫户",
      "kind": "computed",
      "condition": {"fact": "category", "op": "=", "value": "lifted_out"},
      "description": "户类型为脱贫户"
     },
     {
      "code": "ordinary_household",
      "name": "一般农户",
      "kind": "computed",
      "condition": {"fact": "category", "op": "=", "value": "ordinary"},
      "description": "户类型为一般农户"
     },
     {
      "code": "monitored_household",
      "name": "监测对象户",
      "kind": "computed",
      "condition": {"fact": "monitoring_type", "op": "!=", "value": ""},
      "description": "已识别为防返贫监测对象（三类户之一）"
     },
     {
      "code": "unstable_lifted_out",
      "name": "脱贫不稳定户",
      "kind": "computed",
      "condition": {"fact": "monitoring_type", "op": "=", "value": "unstable"},
      "description": "监测对象类别为脱贫不稳定户"
     },
     {
      "code": "marginal_poverty",
      "name": "边缘易致贫户",
      "kind": "computed",
      "condition": {"fact": "monitoring_type", "op": "=", "value": "marginal"},
      "description": "监测对象类别为边缘易致贫户"
     },
     {
      "code": "sudden_hardship",
      "name": "突发严重困难户",
      "kind": "computed",
      "condition": {"fact": "monitoring_type", "op": "=", "value": "sudden_hardship"},
      "description": "监测对象类别为突发严重困难户"
     },
     {
      "code": "military_family",
      "name": "军烈属",
      "kind": "computed",
      "condition": {"fact": "military_family", "op": "=", "value": true},
      "description": "登记为军烈属的家庭"
     },
     {
      "code": "no_labor_support",
      "name": "整户无劳动能力",
      "kind": "computed",
      "condition": {"fact": "no_labor_support", "op": "=", "value": true},
      "description": "整户无劳动能力、纳入兜底保障的家庭"
     },
     {
      "code": "public_servant_household",
      "name": "有财政供养人员",
      "kind": "manual",
      "condition": null,
      "description": "家庭成员中有公职或财政供养人员，由网格员核实标注"
     },
     {
      "code": "five_star_family",
      "name": "五星家庭",
      "kind": "manual",
      "condition": null,
      "description": "经评议获评五星家庭"
     },
     {
      "code": "civilized_family",
      "name": "文明家庭",
      "kind": "manual",
      "condition": null,
      "description": "经评议获评文明家庭"
     }
    ]
   },
   {
    "code": "family_structure",
    "name": "家庭结构",
    "labels": [
     {
      "code": "single_person",
      "name": "单人户",
      "kind": "computed",
      "condition": {"fact": "active_members", "op": "=", "value": 1},
      "description": "在册人数为1人"
     },
     {
      "code": "large_family",
      "name": "大家庭(≥6人)",
      "kind": "computed",
      "condition": {"fact": "active_members", "op": ">=", "value": 6},
      "description": "在册人数6人及以上"
     },
     {
      "code": "three_generations",
      "name": "三代同堂",
      "kind": "computed",
      "condition": {
       "any": [
        {
         "all": [
          {
           "any_member": {
            "all": [
             {"fact": "active", "op": "=", "value": true},
             {
              "fact": "relation",
              "op": "in",
              "value": [
               "father",
               "mother",
               "wifes_father",
               "wifes_mother",
               "husbands_father",
               "husbands_mother",
               "grandfather",
               "grandmother"
              ]
             }
            ]
           }
          },
          {
           "any_member": {
            "all": [
             {"fact": "active", "op": "=", "value": true},
             {
              "fact": "relation",
              "op": "in",
              "value": [
               "son",
               "daughter",
               "son_in_law",
               "daughter_in_law",
               "grandson",
               "granddaughter",
               "daughters_son",
               "daughters_daughter"
              ]
             }
            ]
           }
          }
         ]
        },
        {
         "all": [
          {
           "any_member": {
            "all": [
             {"fact": "active", "op": "=", "value": true},
             {
              "fact": "relation",
              "op": "in",
              "value": ["son", "daughter", "son_in_law", "daughter_in_law"]
             }
            ]
           }
          },
          {
           "any_member": {
            "all": [
             {"fact": "active", "op": "=", "value": true},
             {
              "fact": "relation",
              "op": "in",
              "value": ["grandson", "granddaughter", "daughters_son", "daughters_daughter"]
             }
            ]
           }
          }
         ]
        },
        {
         "all": [
          {
           "any_member": {
            "all": [
             {"fact": "active", "op": "=", "value": true},
             {"fact": "relation", "op": "in", "value": ["grandfather", "grandmother"]}
            ]
           }
          },
          {
           "any_member": {
            "all": [
             {"fact": "active", "op": "=", "value": true},
             {
              "fact": "relation",
              "op": "in",
              "value": [
               "father",
               "mother",
               "wifes_father",
               "wifes_mother",
               "husbands_father",
               "husbands_mother"
              ]
             }
            ]
           }
          }
         ]
        }
       ]
      },
      "description": "户内在册成员跨三代及以上"
     },
     {
      "code": "skipped_generation",
      "name": "隔代家庭",
      "kind": "computed",
      "condition": {
       "all": [
        {
         "any_member": {
          "all": [
           {"fact": "active", "op": "=", "value": true},
           {
            "fact": "relation",
            "op": "in",
            "value": ["grandson", "granddaughter", "daughters_son", "daughters_daughter"]
           }
          ]
         }
        },
        {
         "count_members": {
          "all": [
           {"fact": "active", "op": "=", "value": true},
           {"fact": "relation", "op": "in", "value": ["son", "daughter", "son_in_law", "daughter_in_law"]}
          ]
         },
         "op": "=",
         "value": 0
        }
       ]
      },
      "description": "有孙辈成员而无子女辈成员在册，祖辈抚养孙辈"
     },
     {
      "code": "single_parent",
      "name": "单亲家庭",
      "kind": "computed",
      "condition": {
       "all": [
        {
         "any_member": {
          "all": [
           {"fact": "active", "op": "=", "value": true},
           {"fact": "relation", "op": "in", "value": ["son", "daughter"]},
           {"fact": "age", "op": "<=", "value": 17}
          ]
         }
        },
        {
         "count_members": {
          "all": [
           {"fact": "active", "op": "=", "value": true},
           {"fact": "relation", "op": "=", "value": "spouse"}
          ]
         },
         "op": "=",
         "value": 0
        }
       ]
      },
      "description": "户主无在册配偶，且有未满18周岁的子女"
     },
     {
      "code": "many_children",
      "name": "多子女家庭",
      "kind": "computed",
      "condition": {
       "count_members": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "relation", "op": "in", "value": ["son", "daughter"]}
        ]
       },
       "op": ">=",
       "value": 3
      },
      "description": "户主有3个及以上在册子女"
     },
     {
      "code": "living_alone_elderly",
      "name": "独居老人",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "active_members", "op": "=", "value": 1},
        {
         "any_member": {
          "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "age", "op": ">=", "value": 60}]
         }
        }
       ]
      },
      "description": "仅一人在册且为60周岁及以上老人"
     },
     {
      "code": "empty_nest_elderly",
      "name": "空巢老人",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "active_members", "op": ">=", "value": 2},
        {
         "count_members": {
          "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "age", "op": "<", "value": 60}]
         },
         "op": "=",
         "value": 0
        }
       ]
      },
      "description": "2人及以上在册且全部为60周岁及以上老人（无子女同住）"
     },
     {
      "code": "single_earner",
      "name": "单劳动力多人口户",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "labour_members", "op": "=", "value": 1},
        {"fact": "active_members", "op": ">=", "value": 4}
       ]
      },
      "description": "仅1名劳动力，却有4人及以上在册"
     }
    ]
   }
  ]
 },
 {
  "code": "demographics",
  "name": "人口特征",
  "subcategories": [
   {
    "code": "age_group",
    "name": "年龄段（老中青幼）",
    "labels": [
     {
      "code": "infant",
      "name": "婴幼儿(0–2岁)",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "age", "op": "<=", "value": 2}]
       }
      },
      "description": "有0–2周岁在册成员"
     },
     {
      "code": "preschool_child",
      "name": "学龄前儿童",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "age", "op": "<=", "value": 5}]
       }
      },
      "description": "有未满6周岁在册成员"
     },
     {
      "code": "school_age_child",
      "name": "学龄儿童(6–15岁)",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": ">=", "value": 6},
         {"fact": "age", "op": "<=", "value": 15}
        ]
       }
      },
      "description": "有6–15周岁（义务教育年龄）在册成员"
     },
     {
      "code": "minor",
      "name": "未成年人",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "age", "op": "<=", "value": 17}]
       }
      },
      "description": "有未满18周岁在册成员"
     },
     {
      "code": "youth",
      "name": "青年(18–35岁)",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": ">=", "value": 18},
         {"fact": "age", "op": "<=", "value": 35}
        ]
       }
      },
      "description": "有18–35周岁在册成员"
     },
     {
      "code": "middle_aged",
      "name": "中年(36–59岁)",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": ">=", "value": 36},
         {"fact": "age", "op": "<=", "value": 59}
        ]
       }
      },
      "description": "有36–59周岁在册成员"
     },
     {
      "code": "elderly",
      "name": "老年人(≥60岁)",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "age", "op": ">=", "value": 60}]
       }
      },
      "description": "有60周岁及以上在册成员"
     },
     {
      "code": "advanced_age",
      "name": "高龄老人(≥80岁)",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "age", "op": ">=", "value": 80}]
       }
      },
      "description": "有80周岁及以上在册成员，享高龄津贴、定期走访"
     },
     {
      "code": "centenarian",
      "name": "百岁老人",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "age", "op": ">=", "value": 100}]
       }
      },
      "description": "有100周岁及以上在册成员"
     }
    ]
   },
   {
    "code": "special_identity",
    "name": "特殊身份",
    "labels": [
     {
      "code": "party_member_household",
      "name": "党员户",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "political_status", "op": "in", "value": ["party_member", "probationary"]}
        ]
       }
      },
      "description": "有中共党员或预备党员在册成员"
     },
     {
      "code": "female_head",
      "name": "女户主",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "relation", "op": "=", "value": "head"},
         {"fact": "sex", "op": "=", "value": "F"}
        ]
       }
      },
      "description": "户主为女性"
     },
     {
      "code": "unattended_child",
      "name": "事实无人抚养儿童",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "unattended_child", "op": "=", "value": true}
        ]
       }
      },
      "description": "有登记为事实无人抚养儿童的在册成员"
     },
     {
      "code": "minority_member",
      "name": "少数民族成员",
      "kind": "computed",
      "condition": {"any_member": {"all": [{"fact": "active", "op": "=", "value": true}, {"fact": "ethnicity", "op": "!=", "value": "汉族"}]}},
      "description": "有少数民族在册成员"
     },
     {
      "code": "left_behind_child",
      "name": "留守儿童",
      "kind": "manual",
      "condition": null,
      "description": "父母双方外出务工或一方外出另一方无监护能力的未成年人，由网格员核实标注"
     },
     {
      "code": "left_behind_elderly",
      "name": "留守老人",
      "kind": "manual",
      "condition": null,
      "description": "子女均外出务工、无人照料的老人，由网格员核实标注"
     },
     {
      "code": "left_behind_woman",
      "name": "留守妇女",
      "kind": "manual",
      "condition": null,
      "description": "丈夫长期外出务工、留守在家的妇女，由网格员核实标注"
     },
     {
      "code": "orphan",
      "name": "孤儿",
      "kind": "manual",
      "condition": null,
      "description": "父母双亡或父母下落不明的未成年人，由网格员核实标注"
     },
     {
      "code": "veteran",
      "name": "退役军人",
      "kind": "manual",
      "condition": null,
      "description": "有退役军人在册成员，由网格员核实标注"
     }
    ]
   }
  ]
 },
 {
  "code": "health_medical",
  "name": "健康医疗",
  "subcategories": [
   {
    "code": "health_status",
    "name": "健康状况",
    "labels": [
     {
      "code": "disabled_household",
      "name": "残疾人户",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "disabled"}
        ]
       }
      },
      "description": "有健康状况为残疾的在册成员"
     },
     {
      "code": "severe_disability",
      "name": "重度残疾",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "disabled"},
         {"fact": "disability_grade", "op": "<=", "value": 2}
        ]
       }
      },
      "description": "有一、二级残疾的在册成员"
     },
     {
      "code": "mild_disability",
      "name": "中轻度残疾",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "disabled"},
         {"fact": "disability_grade", "op": ">=", "value": 3}
        ]
       }
      },
      "description": "有三、四级残疾的在册成员"
     },
     {
      "code": "multiple_disabled",
      "name": "多名残疾成员",
      "kind": "computed",
      "condition": {
       "count_members": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "disabled"}
        ]
       },
       "op": ">=",
       "value": 2
      },
      "description": "2名及以上在册成员残疾"
     },
     {
      "code": "intellectual_mental_disability",
      "name": "智力或精神残疾",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "disabled"},
         {"fact": "disability_type", "op": "in", "value": ["intellectual", "mental"]}
        ]
       }
      },
      "description": "有智力或精神残疾的在册成员，需监护照料"
     },
     {
      "code": "serious_illness_patient",
      "name": "大病患者",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "serious"}
        ]
       }
      },
      "description": "有健康状况为患有大病的在册成员"
     },
     {
      "code": "chronic_patient",
      "name": "慢性病患者",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "chronic"}
        ]
       }
      },
      "description": "有长期慢性病在册成员"
     },
     {
      "code": "illness_lost_labour",
      "name": "因病因残丧失劳动力",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": ">=", "value": 16},
         {"fact": "age", "op": "<=", "value": 64},
         {"fact": "health", "op": "in", "value": ["serious", "chronic", "disabled"]},
         {"fact": "labor_skill", "op": "in", "value": ["lost", "none"]}
        ]
       }
      },
      "description": "16–64周岁成员因病或因残丧失劳动力"
     },
     {
      "code": "disabled_elderly",
      "name": "失能半失能老人",
      "kind": "manual",
      "condition": null,
      "description": "生活不能或不能完全自理的老人，由网格员核实标注"
     },
     {
      "code": "needs_counselling",
      "name": "需心理疏导",
      "kind": "manual",
      "condition": null,
      "description": "家庭成员情绪或心理状况需关注疏导，由网格员标注"
     }
    ]
   },
   {
    "code": "medical_security",
    "name": "医疗保障",
    "labels": [
     {
      "code": "medical_uninsured",
      "name": "未参加基本医疗保险",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "medical_insurance", "op": "=", "value": ""}
        ]
       }
      },
      "description": "有在册成员未参加城乡居民或职工基本医疗保险"
     },
     {
      "code": "resident_medical_insurance",
      "name": "城乡居民医保",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "medical_insurance", "op": "=", "value": "resident"}
        ]
       }
      },
      "description": "有参加城乡居民基本医疗保险的在册成员"
     },
     {
      "code": "employee_medical_insurance",
      "name": "职工医保",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "medical_insurance", "op": "=", "value": "employee"}
        ]
       }
      },
      "description": "有参加职工基本医疗保险的在册成员"
     },
     {
      "code": "newborn_uninsured",
      "name": "新生儿未参保",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": "<", "value": 1},
         {"fact": "medical_insurance", "op": "=", "value": ""}
        ]
       }
      },
      "description": "有未满1周岁在册成员未参加基本医疗保险"
     },
     {
      "code": "high_medical_cost",
      "name": "医疗支出较高",
      "kind": "computed",
      "condition": {"fact": "medical_self_paid", "op": ">=", "value": 5000},
      "description": "当年合规自付医疗支出达5000元"
     },
     {
      "code": "very_high_medical_cost",
      "name": "医疗支出过高",
      "kind": "computed",
      "condition": {"fact": "medical_self_paid", "op": ">=", "value": 20000},
      "description": "当年合规自付医疗支出达2万元"
     },
     {
      "code": "medical_cost_burden",
      "name": "医疗负担重",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "current_net_income", "op": ">", "value": 0},
        {"fact": "medical_self_paid", "op": ">=", "value": {"fact": "current_net_income", "times": "0.3"}}
       ]
      },
      "description": "合规自付医疗支出达家庭纯收入的30%（纯收入大于0时）"
     },
     {
      "code": "patient_without_aid",
      "name": "大病患者未享医疗救助",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "serious"},
         {"fact": "medical_aid", "op": "=", "value": false}
        ]
       }
      },
      "description": "有患大病的在册成员未享受医疗救助"
     },
     {
      "code": "family_doctor_signed",
      "name": "已签约家庭医生",
      "kind": "manual",
      "condition": null,
      "description": "已与家庭医生签约，由网格员或卫健部门标注"
     }
    ]
   }
  ]
 },
 {
  "code": "education",
  "name": "教育",
  "subcategories": [
   {
    "code": "schooling_education",
    "name": "在校与文化程度",
    "labels": [
     {
      "code": "preschool_education",
      "name": "学前教育在读",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "schooling", "op": "=", "value": "preschool"}
        ]
       }
      },
      "description": "有接受学前教育（幼儿园）的在册成员"
     },
     {
      "code": "compulsory_education",
      "name": "义务教育阶段",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "schooling", "op": "in", "value": ["primary", "junior"]}
        ]
       }
      },
      "description": "有小学或初中在读的在册成员"
     },
     {
      "code": "primary_pupil",
      "name": "小学在读",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "schooling", "op": "=", "value": "primary"}
        ]
       }
      },
      "description": "有小学在读的在册成员"
     },
     {
      "code": "junior_pupil",
      "name": "初中在读",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "schooling", "op": "=", "value": "junior"}
        ]
       }
      },
      "description": "有初中在读的在册成员"
     },
     {
      "code": "senior_secondary",
      "name": "高中/中职在读",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "schooling", "op": "in", "value": ["senior", "secondary_vocational"]}
        ]
       }
      },
      "description": "有普通高中或中职在读的在册成员"
     },
     {
      "code": "college_student",
      "name": "在读大学生",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {
          "fact": "schooling",
          "op": "in",
          "value": ["higher_vocational", "technician", "bachelor", "postgraduate"]
         }
        ]
       }
      },
      "description": "有高职高专、技师学院、本科或研究生在读的在册成员"
     },
     {
      "code": "dropout",
      "name": "辍学",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "schooling", "op": "=", "value": "dropout"}
        ]
       }
      },
      "description": "有在校生状况为辍学的在册成员"
     },
     {
      "code": "not_enrolled",
      "name": "适龄未入学",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": ">=", "value": 7},
         {"fact": "age", "op": "<=", "value": 15},
         {
          "fact": "schooling",
          "op": "not_in",
          "value": [
           "primary",
           "junior",
           "senior",
           "secondary_vocational",
           "higher_vocational",
           "technician",
           "bachelor",
           "postgraduate",
           "dropout"
          ]
         }
        ]
       }
      },
      "description": "7–15周岁在册成员既不在校也未登记辍学"
     },
     {
      "code": "several_students",
      "name": "多子女就学",
      "kind": "computed",
      "condition": {
       "count_members": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {
          "fact": "schooling",
          "op": "in",
          "value": [
           "primary",
           "junior",
           "senior",
           "secondary_vocational",
           "higher_vocational",
           "technician",
           "bachelor",
           "postgraduate"
          ]
         }
        ]
       },
       "op": ">=",
       "value": 2
      },
      "description": "2名及以上在册成员在读小学及以上"
     },
     {
      "code": "rain_dew_plan",
      "name": "雨露计划对象",
      "kind": "computed",
      "condition": {
       "all": [
        {
         "any": [
          {"fact": "category", "op": "=", "value": "lifted_out"},
          {"fact": "monitoring_type", "op": "!=", "value": ""}
         ]
        },
        {
         "any_member": {
          "all": [
           {"fact": "active", "op": "=", "value": true},
           {
            "fact": "schooling",
            "op": "in",
            "value": ["secondary_vocational", "higher_vocational", "technician"]
           }
          ]
         }
        }
       ]
      },
      "description": "脱贫户或监测对象户有中职、高职或技师学院在读成员，可享雨露计划补助"
     },
     {
      "code": "illiterate_labour",
      "name": "文盲半文盲劳动力",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "labour", "op": "=", "value": true},
         {"fact": "education", "op": "=", "value": "illiterate"}
        ]
       }
      },
      "description": "有文化程度为文盲或半文盲的劳动力"
     },
     {
      "code": "college_educated",
      "name": "大专及以上学历",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "education", "op": "in", "value": ["junior_college", "bachelor_plus"]}
        ]
       }
      },
      "description": "有大专及以上学历的在册成员"
     }
    ]
   }
  ]
 },
 {
  "code": "employment",
  "name": "就业",
  "subcategories": [
   {
    "code": "employment_status",
    "name": "就业状态",
    "labels": [
     {
      "code": "zero_employment",
      "name": "零就业家庭",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "labour_members", "op": ">=", "value": 1},
        {"fact": "employed_labour_members", "op": "=", "value": 0}
       ]
      },
      "description": "有劳动力但无一人务工就业"
     },
     {
      "code": "out_of_province_work",
      "name": "省外务工",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "work_location", "op": "=", "value": "out_of_province"}
        ]
       }
      },
      "description": "有在省外务工的在册成员"
     },
     {
      "code": "in_province_work",
      "name": "县外省内务工",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "work_location", "op": "=", "value": "in_province"}
        ]
       }
      },
      "description": "有在县外省内务工的在册成员"
     },
     {
      "code": "in_county_work",
      "name": "县内务工",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "work_location", "op": "in", "value": ["in_township", "in_county"]}
        ]
       }
      },
      "description": "有在县内（乡镇内或乡镇外县内）务工的在册成员"
     },
     {
      "code": "public_welfare_job",
      "name": "公益性岗位",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "public_welfare_job", "op": "=", "value": true}
        ]
       }
      },
      "description": "有在公益性岗位就业的在册成员"
     },
     {
      "code": "unemployed_labour",
      "name": "有劳动力未就业",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "labour", "op": "=", "value": true},
         {"fact": "employed", "op": "=", "value": false}
        ]
       }
      },
      "description": "有未务工就业的劳动力"
     },
     {
      "code": "full_employment",
      "name": "劳动力全部就业",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "labour_members", "op": ">=", "value": 1},
        {"fact": "employed_labour_members", "op": "=", "value": {"fact": "labour_members"}}
       ]
      },
      "description": "有劳动力且全部务工就业"
     },
     {
      "code": "low_wage",
      "name": "务工收入偏低",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "employed", "op": "=", "value": true},
         {"fact": "monthly_wage", "op": "<", "value": 2000}
        ]
       }
      },
      "description": "有务工成员月工资低于2000元"
     },
     {
      "code": "recent_job_start",
      "name": "近期新就业",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "job_start"},
         {"fact": "recent", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口（默认90天）内有成员新就业"
     },
     {
      "code": "workshop_employment",
      "name": "帮扶车间就业",
      "kind": "manual",
      "condition": null,
      "description": "有成员在帮扶车间就业，由网格员标注"
     },
     {
      "code": "self_employed",
      "name": "自主创业",
      "kind": "manual",
      "condition": null,
      "description": "有成员自主创业或个体经营，由网格员标注"
     },
     {
      "code": "wants_job",
      "name": "有就业意愿",
      "kind": "manual",
      "condition": null,
      "description": "敲门行动中登记有就业意愿的未就业成员，由网格员标注"
     }
    ]
   },
   {
    "code": "skills_training",
    "name": "劳动技能与培训",
    "labels": [
     {
      "code": "skilled_labour",
      "name": "技能劳动力",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "labour", "op": "=", "value": true},
         {"fact": "labor_skill", "op": "=", "value": "skilled"}
        ]
       }
      },
      "description": "有劳动技能为技能劳动力的劳动力"
     },
     {
      "code": "weak_labour",
      "name": "弱劳动力",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "labour", "op": "=", "value": true},
         {"fact": "labor_skill", "op": "=", "value": "weak"}
        ]
       }
      },
      "description": "有弱劳动力或半劳动力"
     },
     {
      "code": "lost_labour_member",
      "name": "丧失劳动力成员",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": ">=", "value": 16},
         {"fact": "age", "op": "<=", "value": 64},
         {"fact": "labor_skill", "op": "=", "value": "lost"}
        ]
       }
      },
      "description": "有16–64周岁在册成员丧失劳动力"
     },
     {
      "code": "no_labour_household",
      "name": "无劳动力家庭",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "active_members", "op": ">=", "value": 1},
        {"fact": "labour_members", "op": "=", "value": 0}
       ]
      },
      "description": "有在册成员但无一名劳动力"
     },
     {
      "code": "unskilled_labour_household",
      "name": "无技能劳动力家庭",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "labour_members", "op": ">=", "value": 1},
        {
         "count_members": {
          "all": [
           {"fact": "labour", "op": "=", "value": true},
           {"fact": "labor_skill", "op": "=", "value": "skilled"}
          ]
         },
         "op": "=",
         "value": 0
        }
       ]
      },
      "description": "有劳动力但无一名技能劳动力，宜组织技能培训"
     },
     {
      "code": "older_labour",
      "name": "大龄劳动力(50–64岁)",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [{"fact": "labour", "op": "=", "value": true}, {"fact": "age", "op": ">=", "value": 50}]
       }
      },
      "description": "有50–64周岁劳动力"
     },
     {
      "code": "unemployed_youth",
      "name": "青年未就业",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "labour", "op": "=", "value": true},
         {"fact": "age", "op": "<=", "value": 35},
         {"fact": "employed", "op": "=", "value": false}
        ]
       }
      },
      "description": "有16–35周岁劳动力未务工就业"
     },
     {
      "code": "unemployed_woman",
      "name": "妇女未就业",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "labour", "op": "=", "value": true},
         {"fact": "sex", "op": "=", "value": "F"},
         {"fact": "employed", "op": "=", "value": false}
        ]
       }
      },
      "description": "有女性劳动力未务工就业，宜推荐帮扶车间或居家就业"
     },
     {
      "code": "wants_training",
      "name": "有培训意愿",
      "kind": "manual",
      "condition": null,
      "description": "登记有技能培训意愿，由网格员标注"
     },
     {
      "code": "trained",
      "name": "已参加技能培训",
      "kind": "manual",
      "condition": null,
      "description": "已参加订单培训或其他技能培训，由网格员标注"
     },
     {
      "code": "skill_certificate",
      "name": "持有职业技能证书",
      "kind": "manual",
      "condition": null,
      "description": "有成员持职业技能等级证书，由网格员标注"
     }
    ]
   }
  ]
 },
 {
  "code": "income_security",
  "name": "收入保障",
  "subcategories": [
   {
    "code": "income_level",
    "name": "收入水平",
    "labels": [
     {
      "code": "below_line",
      "name": "收入低于监测线",
      "kind": "computed",
      "condition": {"fact": "current_per_capita", "op": "<", "value": {"fact": "monitoring_line"}},
      "description": "当年人均纯收入低于监测线"
     },
     {
      "code": "near_line",
      "name": "收入临界",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "current_per_capita", "op": ">=", "value": {"fact": "monitoring_line"}},
        {"fact": "current_per_capita", "op": "<", "value": {"fact": "monitoring_line", "times": "1.1"}}
       ]
      },
      "description": "人均纯收入不低于监测线但低于监测线的1.1倍"
     },
     {
      "code": "low_income",
      "name": "收入偏低",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "current_per_capita", "op": ">=", "value": {"fact": "monitoring_line", "times": "1.1"}},
        {"fact": "current_per_capita", "op": "<", "value": {"fact": "monitoring_line", "times": "1.5"}}
       ]
      },
      "description": "人均纯收入在监测线的1.1倍至1.5倍之间"
     },
     {
      "code": "stable_income",
      "name": "收入稳定",
      "kind": "computed",
      "condition": {
       "fact": "current_per_capita",
       "op": ">=",
       "value": {"fact": "monitoring_line", "times": "2"}
      },
      "description": "人均纯收入达监测线的2倍"
     },
     {
      "code": "income_drop",
      "name": "收入骤减",
      "kind": "computed",
      "condition": {
       "fact": "current_per_capita",
       "op": "<=",
       "value": {"fact": "previous_per_capita", "times": "0.8"}
      },
      "description": "人均纯收入比上年下降20%及以上"
     },
     {
      "code": "income_growth",
      "name": "收入增长",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "previous_per_capita", "op": ">", "value": 0},
        {
         "fact": "current_per_capita",
         "op": ">=",
         "value": {"fact": "previous_per_capita", "times": "1.1"}
        }
       ]
      },
      "description": "人均纯收入比上年增长10%及以上"
     },
     {
      "code": "income_missing",
      "name": "收入数据缺失",
      "kind": "computed",
      "condition": {"fact": "has_income", "op": "=", "value": false},
      "description": "无当年或以前年度收入记录，收入规则不判定"
     },
     {
      "code": "previous_income_missing",
      "name": "上年收入缺失",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "has_income", "op": "=", "value": true},
        {"fact": "has_previous_income", "op": "=", "value": false}
       ]
      },
      "description": "有当年收入记录但缺上年记录，无法判断增减"
     },
     {
      "code": "non_positive_net_income",
      "name": "家庭纯收入为零或负",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "has_income", "op": "=", "value": true},
        {"fact": "current_net_income", "op": "<=", "value": 0}
       ]
      },
      "description": "当年家庭纯收入不大于0"
     },
     {
      "code": "transfer_dependent",
      "name": "转移性收入占比过半",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "current_net_income", "op": ">", "value": 0},
        {"fact": "current_transfer", "op": ">=", "value": {"fact": "current_net_income", "times": "0.5"}}
       ]
      },
      "description": "转移性收入达家庭纯收入的一半，收入依赖政策"
     },
     {
      "code": "business_income",
      "name": "有生产经营收入",
      "kind": "computed",
      "condition": {"fact": "current_business", "op": ">", "value": 0},
      "description": "当年有生产经营性收入"
     }
    ]
   },
   {
    "code": "social_security",
    "name": "社会保障",
    "labels": [
     {
      "code": "dibao",
      "name": "低保户",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [{"fact": "active", "op": "=", "value": true}, {"fact": "dibao", "op": "=", "value": true}]
       }
      },
      "description": "有享受最低生活保障的在册成员"
     },
     {
      "code": "destitute_support",
      "name": "特困供养",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "destitute_support", "op": "=", "value": true}
        ]
       }
      },
      "description": "有特困供养在册成员"
     },
     {
      "code": "medical_aid",
      "name": "医疗救助",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "medical_aid", "op": "=", "value": true}
        ]
       }
      },
      "description": "有享受医疗救助的在册成员"
     },
     {
      "code": "disability_subsidy",
      "name": "残疾人两项补贴",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "disability_subsidy", "op": "=", "value": true}
        ]
       }
      },
      "description": "有享受困难残疾人生活补贴或重度残疾人护理补贴的在册成员"
     },
     {
      "code": "pension_uninsured",
      "name": "养老保险未参保",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": ">=", "value": 16},
         {"fact": "age", "op": "<=", "value": 59},
         {
          "fact": "schooling",
          "op": "not_in",
          "value": [
           "primary",
           "junior",
           "senior",
           "secondary_vocational",
           "higher_vocational",
           "technician",
           "bachelor",
           "postgraduate"
          ]
         },
         {"fact": "pension_insurance", "op": "=", "value": false}
        ]
       }
      },
      "description": "有16–59周岁非在校在册成员未参加养老保险"
     },
     {
      "code": "disabled_without_subsidy",
      "name": "残疾未享两项补贴",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "disabled"},
         {"fact": "disability_subsidy", "op": "=", "value": false}
        ]
       }
      },
      "description": "有残疾在册成员未享受残疾人两项补贴"
     },
     {
      "code": "severe_disabled_not_in_dibao",
      "name": "重度残疾未纳入低保",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "health", "op": "=", "value": "disabled"},
         {"fact": "disability_grade", "op": "<=", "value": 2},
         {"fact": "dibao", "op": "=", "value": false}
        ]
       }
      },
      "description": "有一、二级残疾在册成员未享受低保"
     },
     {
      "code": "no_labour_without_support",
      "name": "无劳动力未兜底",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "active_members", "op": ">=", "value": 1},
        {"fact": "labour_members", "op": "=", "value": 0},
        {
         "count_members": {
          "all": [
           {"fact": "active", "op": "=", "value": true},
           {
            "any": [
             {"fact": "dibao", "op": "=", "value": true},
             {"fact": "destitute_support", "op": "=", "value": true}
            ]
           }
          ]
         },
         "op": "=",
         "value": 0
        }
       ]
      },
      "description": "无劳动力家庭无人享受低保或特困供养"
     },
     {
      "code": "below_line_without_dibao",
      "name": "低于监测线未享低保",
      "kind": "computed",
      "condition": {
       "all": [
        {"fact": "current_per_capita", "op": "<", "value": {"fact": "monitoring_line"}},
        {
         "count_members": {
          "all": [
           {"fact": "active", "op": "=", "value": true},
           {
            "any": [
             {"fact": "dibao", "op": "=", "value": true},
             {"fact": "destitute_support", "op": "=", "value": true}
            ]
           }
          ]
         },
         "op": "=",
         "value": 0
        }
       ]
      },
      "description": "人均纯收入低于监测线且无人享受低保或特困供养"
     },
     {
      "code": "temporary_assistance",
      "name": "临时救助",
      "kind": "manual",
      "condition": null,
      "description": "近期获得临时救助，由网格员或民政部门标注"
     },
     {
      "code": "dibao_marginal",
      "name": "低保边缘家庭",
      "kind": "manual",
      "condition": null,
      "description": "经民政部门认定的低保边缘家庭，由网格员标注"
     }
    ]
   }
  ]
 },
 {
  "code": "risk_assistance",
  "name": "风险帮扶",
  "subcategories": [
   {
    "code": "risk_type",
    "name": "风险类型",
    "labels": [
     {
      "code": "recent_serious_illness",
      "name": "近期大病",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "serious_illness"},
         {"fact": "recent", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口（默认90天）内有成员确诊大病"
     },
     {
      "code": "recent_disability",
      "name": "近期新增残疾",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "disability"},
         {"fact": "recent", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口内有成员新增或加重残疾"
     },
     {
      "code": "recent_accident",
      "name": "近期意外事故",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "accident"},
         {"fact": "recent", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口内发生意外事故（不论轻重）"
     },
     {
      "code": "recent_disaster",
      "name": "近期受灾",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "disaster"},
         {"fact": "recent", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口内遭受自然灾害"
     },
     {
      "code": "recent_job_loss",
      "name": "近期失业",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "job_loss"},
         {"fact": "recent", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口内有成员失业"
     },
     {
      "code": "recent_death",
      "name": "近期死亡",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "death"},
         {"fact": "recent", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口内有成员死亡"
     },
     {
      "code": "recent_labour_death",
      "name": "近期劳动力死亡",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "death"},
         {"fact": "recent", "op": "=", "value": true},
         {"fact": "member_labour_at_event", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口内有死亡时为劳动力的成员死亡"
     },
     {
      "code": "recent_birth",
      "name": "近期新生儿",
      "kind": "computed",
      "condition": {
       "any_event": {
        "all": [
         {"fact": "type", "op": "=", "value": "birth"},
         {"fact": "recent", "op": "=", "value": true}
        ]
       }
      },
      "description": "监测窗口内有新生儿出生"
     },
     {
      "code": "housing_unsafe",
      "name": "住房不安全",
      "kind": "computed",
      "condition": {"fact": "housing_safe", "op": "=", "value": false},
      "description": "住房安全未保障"
     },
     {
      "code": "water_unsafe",
      "name": "饮水不安全",
      "kind": "computed",
      "condition": {"fact": "water_safe", "op": "=", "value": false},
      "description": "饮水安全未保障"
     },
     {
      "code": "compulsory_dropout",
      "name": "义务教育阶段辍学",
      "kind": "computed",
      "condition": {
       "any_member": {
        "all": [
         {"fact": "active", "op": "=", "value": true},
         {"fact": "age", "op": ">=", "value": 6},
         {"fact": "age", "op": "<=", "value": 15},
         {"fact": "schooling", "op": "=", "value": "dropout"}
        ]
       }
      },
      "description": "有6–15周岁在册成员辍学，需控辍保学"
     },
     {
      "code": "rigid_expense",
      "name": "刚性支出大",
      "kind": "computed",
      "condition": {
       "any": [
        {"fact": "medical_self_paid", "op": ">=", "value": 5000},
        {"fact": "education_expense", "op": ">=", "value": 10000},
        {
         "all": [
          {"fact": "current_net_income", "op": ">", "value": 0},
          {
           "expr": {"add": [{"fact": "medical_self_paid"}, {"fact": "education_expense"}]},
           "op": ">=",
           "value": {"fact": "current_net_income", "times": "0.5"}
          }
         ]
        }
       ]
      },
      "description": "合规自付医疗支出达5000元，或教育支出达1万元，或两者之和达家庭纯收入的一半"
     }
    ]
   },
   {
    "code": "assistance_measures",
    "name": "帮扶措施",
    "labels": [
     {
      "code": "comprehensive_guarantee",
      "name": "综合保障兜底",
      "kind": "computed",
      "condition": {
       "any": [
        {"fact": "no_labor_support", "op": "=", "value": true},
        {
         "any_member": {
          "all": [
           {"fact": "active", "op": "=", "value": true},
           {
            "any": [
             {"fact": "dibao", "op": "=", "value": true},
             {"fact": "destitute_support", "op": "=", "value": true}
            ]
           }
          ]
         }
        }
       ]
      },
      "description": "整户兜底，或有成员享受低保或特困供养"
     },
     {
      "code": "paired_assistance",
      "name": "已结对帮扶",
      "kind": "manual",
      "condition": null,
      "description": "已落实帮扶责任人结对帮扶"
     },
     {
      "code": "industry_support",
      "name": "产业帮扶",
      "kind": "manual",
      "condition": null,
      "description": "已落实产业帮扶措施"
     },
     {
      "code": "employment_support",
      "name": "就业帮扶",
      "kind": "manual",
      "condition": null,
      "description": "已落实就业帮扶措施（岗位推荐、转移就业等）"
     },
     {
      "code": "microcredit",
      "name": "小额信贷",
      "kind": "manual",
      "condition": null,
      "description": "已获得脱贫人口小额信贷"
     },
     {
      "code": "health_support",
      "name": "健康帮扶",
      "kind": "manual",
      "condition": null,
      "description": "已落实健康帮扶措施（签约服务、医疗救助等）"
     },
     {
      "code": "education_support",
      "name": "教育帮扶",
      "kind": "manual",
      "condition": null,
      "description": "已落实教育帮扶措施（资助、结对助学等）"
     },
     {
      "code": "housing_support",
      "name": "住房安全保障",
      "kind": "manual",
      "condition": null,
      "description": "已落实住房安全保障措施"
     },
     {
      "code": "neighbour_pairing",
      "name": "邻里认亲结对",
      "kind": "manual",
      "condition": null,
      "description": "已参加邻里认亲活动并结对"
     },
     {
      "code": "volunteer_care",
      "name": "志愿者结对关爱",
      "kind": "manual",
      "condition": null,
      "description": "有志愿者结对关爱（儿童、老人）"
     },
     {
      "code": "regular_visit",
      "name": "定期走访对象",
      "kind": "manual",
      "condition": null,
      "description": "列入定期走访关爱名单"
     }
    ]
   }
  ]
 }
]"""
)


def add_labels(apps, schema_editor):
    LabelCategory = apps.get_model("monitoring", "LabelCategory")
    Label = apps.get_model("monitoring", "Label")
    subcategory_position = 0
    for position, category in enumerate(TAXONOMY):
        parent = LabelCategory.objects.create(code=category["code"], name=category["name"], position=position)
        for sub in category["subcategories"]:
            subcategory = LabelCategory.objects.create(
                parent=parent, code=sub["code"], name=sub["name"], position=subcategory_position
            )
            subcategory_position += 1
            Label.objects.bulk_create(
                Label(subcategory=subcategory, position=index, active=True, **label)
                for index, label in enumerate(sub["labels"])
            )


def remove_labels(apps, schema_editor):
    subcategories = [sub["code"] for category in TAXONOMY for sub in category["subcategories"]]
    apps.get_model("monitoring", "Label").objects.filter(subcategory__code__in=subcategories).delete()
    LabelCategory = apps.get_model("monitoring", "LabelCategory")
    LabelCategory.objects.filter(code__in=subcategories).delete()
    LabelCategory.objects.filter(code__in=[category["code"] for category in TAXONOMY]).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_default_rule_set")]
    operations = [migrations.RunPython(add_labels, remove_labels)]
