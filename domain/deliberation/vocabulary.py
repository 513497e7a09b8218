"""The words of deliberation: meeting kinds, parties, lifecycle states and actions, rules, art. 278 matters."""

from __future__ import annotations

from enum import StrEnum


class MeetingKind(StrEnum):
    FOUR_PARTY_JOINT = "FOUR_PARTY_JOINT"  # 四方联席会
    JOINT_CONFERENCE = "JOINT_CONFERENCE"  # 街道物业管理联席会议
    RESIDENTS_DELIBERATION = "RESIDENTS_DELIBERATION"  # 居民议事会
    HEART_TO_HEART = "HEART_TO_HEART"  # 恳谈会
    PARTY_BUILDING_JOINT = "PARTY_BUILDING_JOINT"  # 党建联席会
    OWNERS_COMMITTEE = "OWNERS_COMMITTEE"  # 业委会会议
    PROPERTY_MANAGEMENT_COMMITTEE = "PROPERTY_MANAGEMENT_COMMITTEE"  # 物管会会议
    OWNERS_ASSEMBLY = "OWNERS_ASSEMBLY"  # 业主大会


COMMITTEE_KINDS = frozenset({MeetingKind.OWNERS_COMMITTEE, MeetingKind.PROPERTY_MANAGEMENT_COMMITTEE})


class Party(StrEnum):
    """The party a participant represents."""

    PARTY_ORGANISATION = "PARTY_ORGANISATION"  # 社区党组织
    RESIDENTS_COMMITTEE = "RESIDENTS_COMMITTEE"  # 居委会
    OWNERS_COMMITTEE = "OWNERS_COMMITTEE"  # 业委会 / 物管会
    PROPERTY_FIRM = "PROPERTY_FIRM"  # 物业服务企业
    OWNER = "OWNER"  # 业主
    STREET = "STREET"  # 街道
    CO_BUILDING_UNIT = "CO_BUILDING_UNIT"  # 共建单位
    DEPUTY = "DEPUTY"  # 两代表一委员
    OTHER = "OTHER"


FOUR_PARTIES = (Party.PARTY_ORGANISATION, Party.RESIDENTS_COMMITTEE, Party.OWNERS_COMMITTEE, Party.PROPERTY_FIRM)


class Role(StrEnum):
    CHAIR = "CHAIR"  # 主持人
    RECORDER = "RECORDER"  # 记录人
    ATTENDEE = "ATTENDEE"  # 参会人


class MeetingStatus(StrEnum):
    DRAFT = "DRAFT"
    NOTICED = "NOTICED"
    IN_SESSION = "IN_SESSION"
    CLOSED = "CLOSED"
    MINUTES_PUBLISHED = "MINUTES_PUBLISHED"
    CANCELLED = "CANCELLED"


class MeetingAction(StrEnum):
    ISSUE_NOTICE = "ISSUE_NOTICE"
    OPEN = "OPEN"
    CLOSE = "CLOSE"
    PUBLISH_MINUTES = "PUBLISH_MINUTES"
    CANCEL = "CANCEL"


class AgendaStatus(StrEnum):
    DRAFT = "DRAFT"  # not (yet) in a notice: cannot be voted on
    NOTICED = "NOTICED"
    VOTING = "VOTING"
    DECIDED = "DECIDED"


class AgendaAction(StrEnum):
    NOTICE = "NOTICE"
    OPEN_VOTING = "OPEN_VOTING"
    CLOSE_VOTING = "CLOSE_VOTING"


class DecisionRule(StrEnum):
    MAJORITY_OF_PRESENT = "MAJORITY_OF_PRESENT"
    MAJORITY_OF_ALL_MEMBERS = "MAJORITY_OF_ALL_MEMBERS"
    TWO_THIRDS_OF_PRESENT = "TWO_THIRDS_OF_PRESENT"
    CONSENSUS = "CONSENSUS"
    OWNERS_ORDINARY = "OWNERS_ORDINARY"
    OWNERS_MAJOR = "OWNERS_MAJOR"


OWNERS_RULES = frozenset({DecisionRule.OWNERS_ORDINARY, DecisionRule.OWNERS_MAJOR})


class JointMatter(StrEnum):
    """The matters owners decide jointly (民法典 art. 278 para. 1, items 1-9)."""

    AMEND_ASSEMBLY_RULES = "AMEND_ASSEMBLY_RULES"  # (1) 制定和修改业主大会议事规则
    AMEND_MANAGEMENT_STATUTE = "AMEND_MANAGEMENT_STATUTE"  # (2) 制定和修改管理规约
    ELECT_COMMITTEE = "ELECT_COMMITTEE"  # (3) 选举业主委员会或者更换业主委员会成员
    HIRE_OR_DISMISS_MANAGER = "HIRE_OR_DISMISS_MANAGER"  # (4) 选聘和解聘物业服务企业或者其他管理人
    USE_MAINTENANCE_FUND = "USE_MAINTENANCE_FUND"  # (5) 使用建筑物及其附属设施的维修资金
    RAISE_MAINTENANCE_FUND = "RAISE_MAINTENANCE_FUND"  # (6) 筹集建筑物及其附属设施的维修资金
    REBUILD = "REBUILD"  # (7) 改建、重建建筑物及其附属设施
    CHANGE_COMMON_PARTS = "CHANGE_COMMON_PARTS"  # (8) 改变共有部分的用途或者利用共有部分从事经营活动
    OTHER_COMMON_MATTER = "OTHER_COMMON_MATTER"  # (9) 有关共有和共同管理权利的其他重大事项


# Civil Code art. 278 para. 2: items (6)-(8) need >= 3/4 of the participating area and owners.
MAJOR_MATTERS = frozenset({JointMatter.RAISE_MAINTENANCE_FUND, JointMatter.REBUILD, JointMatter.CHANGE_COMMON_PARTS})


class Choice(StrEnum):
    AGREE = "AGREE"  # 同意
    OPPOSE = "OPPOSE"  # 反对
    ABSTAIN = "ABSTAIN"  # 弃权


class BallotChannel(StrEnum):
    APP = "APP"  # cast by the owner in the owners' app
    PAPER = "PAPER"  # a paper ballot entered by staff or the committee
    PROXY = "PROXY"  # cast by a proxy with a written authorisation


class ItemResult(StrEnum):
    PASSED = "PASSED"  # 通过
    FAILED = "FAILED"  # 未通过


class MinutesStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"


class MinutesAction(StrEnum):
    EDIT = "EDIT"
    SIGN = "SIGN"
    PUBLISH = "PUBLISH"


class TaskStatus(StrEnum):
    OPEN = "OPEN"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class TaskAction(StrEnum):
    COMPLETE = "COMPLETE"
    CANCEL = "CANCEL"
