//! What the national SSO says about a person (userinfo claims, REGULATIONS §8),
//! mapped to our account fields. Claim names follow the national portal; the
//! mapping lives here only, so another identity provider needs one change.

use serde_json::Value;

use super::role::AccountKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoIdentity {
    pub subject: String,
    /// LoaiTaiKhoan: 1 công dân, 2 doanh nghiệp, 3 tổ chức.
    pub account_type: i32,
    pub citizen_id: Option<String>,
    pub tax_code: Option<String>,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vneid_verified: bool,
}

fn text(claims: &Value, name: &str) -> Option<String> {
    match &claims[name] {
        Value::String(s) if !s.trim().is_empty() => Some(crate::text::nfc(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl SsoIdentity {
    /// Reads userinfo claims; `None` when the subject or the name is missing.
    pub fn from_claims(claims: &Value) -> Option<SsoIdentity> {
        let subject = text(claims, "sub")?;
        let account_type = text(claims, "LoaiTaiKhoan").and_then(|t| t.parse().ok()).unwrap_or(1);
        let tax_code = text(claims, "MaSoThue").or_else(|| text(claims, "MaSoDoanhNghiep"));
        let full_name = match account_type {
            2 | 3 => text(claims, "TenDoanhNghiep").or_else(|| text(claims, "HoVaTen")),
            _ => text(claims, "HoVaTen"),
        }?;
        let verified = matches!(&claims["TaiKhoanDuocXacThucVoiVNeID"], Value::Bool(true))
            || text(claims, "TaiKhoanDuocXacThucVoiVNeID").as_deref() == Some("1");
        Some(SsoIdentity {
            subject,
            account_type,
            citizen_id: text(claims, "SoDinhDanh").or_else(|| text(claims, "SoCMND")),
            tax_code,
            full_name,
            email: text(claims, "ThuDienTu"),
            phone: text(claims, "SoDienThoai"),
            vneid_verified: verified,
        })
    }

    pub fn kind(&self) -> AccountKind {
        if self.account_type == 1 { AccountKind::Citizen } else { AccountKind::Business }
    }
}

/// A citizen ID shown to others: only its last four digits.
pub fn mask_id(id: &str) -> String {
    let keep = id.chars().count().saturating_sub(4);
    id.chars().enumerate().map(|(i, c)| if i < keep { '•' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_citizen_and_a_business_are_told_apart() {
        let citizen = SsoIdentity::from_claims(&json!({"sub": "s1", "LoaiTaiKhoan": 1, "SoDinhDanh": "001090012345", "HoVaTen": "Nguyễn Văn An", "TaiKhoanDuocXacThucVoiVNeID": true})).unwrap();
        assert_eq!(citizen.kind(), AccountKind::Citizen);
        assert!(citizen.vneid_verified);
        let business = SsoIdentity::from_claims(&json!({"sub": "s2", "LoaiTaiKhoan": "2", "MaSoThue": "0101234567", "TenDoanhNghiep": "Công ty TNHH Sao Mai", "HoVaTen": "Trần Thị Bình"})).unwrap();
        assert_eq!(business.kind(), AccountKind::Business);
        assert_eq!(business.full_name, "Công ty TNHH Sao Mai");
        assert_eq!(business.tax_code.as_deref(), Some("0101234567"));
    }

    #[test]
    fn claims_without_subject_or_name_are_refused() {
        assert!(SsoIdentity::from_claims(&json!({"HoVaTen": "A"})).is_none());
        assert!(SsoIdentity::from_claims(&json!({"sub": "x"})).is_none());
    }

    #[test]
    fn ids_are_masked_but_the_tail() {
        assert_eq!(mask_id("001090012345"), "••••••••2345");
    }
}
