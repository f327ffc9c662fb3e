//! Demo identities offered on the mock's login page: citizens with 12-digit
//! personal identification numbers, businesses with tax codes. All invented.

use serde_json::{Value, json};

pub struct DemoIdentity {
    pub key: &'static str,
    pub label: &'static str,
    pub claims: fn() -> Value,
}

fn citizen(sub: &str, id: &str, name: &str, email: &str, phone: &str, verified: bool) -> Value {
    json!({
        "sub": sub, "LoaiTaiKhoan": 1, "SoDinhDanh": id, "HoVaTen": name,
        "ThuDienTu": email, "SoDienThoai": phone, "TaiKhoanDuocXacThucVoiVNeID": verified,
        "GioiTinh": 1, "QuocTich": "VN", "loAs": "LoA1",
    })
}

fn business(sub: &str, tax: &str, company: &str, person: &str, email: &str) -> Value {
    json!({
        "sub": sub, "LoaiTaiKhoan": 2, "MaSoThue": tax, "MaSoDoanhNghiep": tax, "TenDoanhNghiep": company,
        "HoVaTen": person, "ThuDienTu": email, "SoDienThoai": "02439990000", "loAs": "LoA1",
        "DiaChi": "Số 18 Nguyễn Du, phường Hai Bà Trưng, thành phố Hà Nội",
    })
}

pub const DEMO: &[DemoIdentity] = &[
    DemoIdentity {
        key: "nguyen-van-an",
        label: "Nguyễn Văn An — công dân, 001090012345",
        claims: || {
            citizen(
                "demo-citizen-001090012345",
                "001090012345",
                "Nguyễn Văn An",
                "an.nguyen@example.vn",
                "0912345678",
                true,
            )
        },
    },
    DemoIdentity {
        key: "tran-thi-binh",
        label: "Trần Thị Bình — công dân, 079185004321",
        claims: || {
            citizen(
                "demo-citizen-079185004321",
                "079185004321",
                "Trần Thị Bình",
                "binh.tran@example.vn",
                "0987654321",
                false,
            )
        },
    },
    DemoIdentity {
        key: "le-hoang-cuong",
        label: "Lê Hoàng Cường — công dân, 048200007788",
        claims: || {
            citizen(
                "demo-citizen-048200007788",
                "048200007788",
                "Lê Hoàng Cường",
                "cuong.le@example.vn",
                "0905111222",
                true,
            )
        },
    },
    DemoIdentity {
        key: "cong-ty-sao-mai",
        label: "Công ty TNHH Truyền thông Sao Mai — doanh nghiệp, 0101234567",
        claims: || {
            business(
                "demo-business-0101234567",
                "0101234567",
                "Công ty TNHH Truyền thông Sao Mai",
                "Phạm Thu Hà",
                "lienhe@saomai.example.vn",
            )
        },
    },
    DemoIdentity {
        key: "cong-ty-buu-chinh-viet",
        label: "Công ty Cổ phần Bưu chính Việt — doanh nghiệp, 0309876543",
        claims: || {
            business(
                "demo-business-0309876543",
                "0309876543",
                "Công ty Cổ phần Bưu chính Việt",
                "Đỗ Minh Đức",
                "info@buuchinhviet.example.vn",
            )
        },
    },
];

pub fn find(key: &str) -> Option<Value> {
    DEMO.iter().find(|d| d.key == key).map(|d| (d.claims)())
}

/// Claims for an identity typed on the login page; `None` when the numbers
/// are not a 12-digit personal ID or a 10/13-digit tax code.
pub fn custom(kind: &str, number: &str, name: &str, email: &str, phone: &str) -> Option<Value> {
    let digits = |n: usize| number.len() == n && number.chars().all(|c| c.is_ascii_digit());
    let name = crate::text::nfc(name);
    if name.chars().count() < 2 {
        return None;
    }
    match kind {
        "citizen" if digits(12) => {
            Some(citizen(&format!("custom-citizen-{number}"), number, &name, email, phone, false))
        }
        "business" if digits(10) || digits(13) => {
            Some(business(&format!("custom-business-{number}"), number, &name, &name, email))
        }
        _ => None,
    }
}
