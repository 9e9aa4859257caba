//! The Chinese words of the notice for every code (GLOSSARY.md), for explanations and the UI.

use crate::model::{Category, ConferenceLevel, ExamLevel, Form, Status, TitleLevel};

pub fn category_zh(c: Category) -> &'static str {
    match c {
        Category::Public => "公需科目",
        Category::Professional => "专业科目",
    }
}

pub fn form_zh(f: Form) -> &'static str {
    match f {
        Form::OnlineCourse => "网络学习（专技平台课程）",
        Form::BaseTraining => "继续教育基地培训班（集中面授）",
        Form::OrganizedTraining => "部委、协会、学会及兵团有关部门主办的培训、研修",
        Form::DegreeEducation => "学历、学位教育",
        Form::AcademicConference => "学术会议",
        Form::QualificationExam => "全国专业技术资格考试",
        Form::PracticeQualificationExam => "全国执业资格或职业水平考试",
        Form::TitleLanguageExam => "职称外语考试",
        Form::ComputerExam => "计算机知识考试",
        Form::GrassrootsService => "基层服务",
        Form::AidXinjiang => "援疆专业技术人员",
        Form::TransitionCertificate => "2017、2018年度面授合格证书（过渡年补录）",
        Form::Other => "其他形式（师市人社局或兵团业务主管部门认定）",
    }
}

pub fn conference_level_zh(l: ConferenceLevel) -> &'static str {
    match l {
        ConferenceLevel::National => "国家级",
        ConferenceLevel::Corps => "兵团（省）级",
    }
}

pub fn exam_level_zh(l: ExamLevel) -> &'static str {
    match l {
        ExamLevel::Senior => "高级",
        ExamLevel::Intermediate => "中级",
        ExamLevel::Junior => "初级",
    }
}

pub fn title_level_zh(l: TitleLevel) -> &'static str {
    match l {
        TitleLevel::SeniorFull => "正高级",
        TitleLevel::SeniorDeputy => "副高级",
        TitleLevel::Intermediate => "中级",
        TitleLevel::Junior => "初级",
    }
}

pub fn status_zh(s: Status) -> &'static str {
    match s {
        Status::PendingUnitReview => "待单位初审",
        Status::Returned => "已退回修改",
        Status::Rejected => "不予认定",
        Status::UnitApproved => "初审通过",
        Status::IndustryApproved => "复审通过",
        Status::IndustryReturned => "复审退回",
        Status::SpotChecked => "已抽审",
    }
}
