//! Where a dossier is in its life, by which channel it came, and how it
//! stands against its appointment: closed lists stored as their strings.
//! The national status codes (TrangThaiHoSo) are those of the National
//! Public Service Portal (REGULATIONS §2.2); the states follow §2.4.

use sea_orm::entity::prelude::*;

use crate::db_enum;

db_enum! {
    pub enum DossierStatus {
        /// Being filled in by the applicant; no code, not synced.
        Draft = "draft",
        Submitted = "submitted",
        Received = "received",
        Refused = "refused",
        InProgress = "in_progress",
        AwaitingSupplement = "awaiting_supplement",
        AwaitingPayment = "awaiting_payment",
        Withdrawn = "withdrawn",
        Stopped = "stopped",
        ResultReady = "result_ready",
        Returned = "returned",
    }
}

impl DossierStatus {
    /// TrangThaiHoSo of the national portal; drafts have none.
    pub fn national_code(self) -> Option<u8> {
        use DossierStatus::*;
        Some(match self {
            Draft => return None,
            Submitted => 1,
            Received => 2,
            Refused => 3,
            InProgress => 4,
            AwaitingSupplement => 5,
            AwaitingPayment => 6,
            Withdrawn => 7,
            Stopped => 8,
            ResultReady => 9,
            Returned => 10,
        })
    }

    /// The applicant may withdraw (NĐ 118/2025 stop at the applicant's
    /// request) until the result is ready or the dossier is closed.
    pub fn withdrawable(self) -> bool {
        use DossierStatus::*;
        matches!(self, Submitted | Received | InProgress | AwaitingSupplement | AwaitingPayment)
    }

    /// No further processing happens.
    pub fn is_closed(self) -> bool {
        use DossierStatus::*;
        matches!(self, Refused | Withdrawn | Stopped | Returned)
    }
}

db_enum! {
    pub enum Channel {
        Online = "online",
        Counter = "counter",
        Post = "post",
        /// Filed on the national portal and forwarded to the ministry.
        National = "national",
    }
}

impl Channel {
    /// Filed online, here or on the national portal: the result is electronic.
    pub fn is_online(self) -> bool {
        matches!(self, Channel::Online | Channel::National)
    }

    /// KenhThucHien of the national portal (REGULATIONS §2.3).
    pub fn national_code(self) -> u8 {
        match self {
            Channel::Counter => 1,
            Channel::Online => 2,
            Channel::Post => 3,
            // Filed online, on the national portal.
            Channel::National => 2,
        }
    }
}

db_enum! {
    /// Where a dossier stands against its appointment, as the deadline sweep last saw it.
    pub enum DueState {
        OnTime = "on_time",
        DueSoon = "due_soon",
        Overdue = "overdue",
    }
}

db_enum! {
    /// Where the applicant asked to receive the result (form 01 "đăng ký nhận kết quả tại").
    pub enum ResultDelivery {
        /// At the one-stop desk (Bộ phận Một cửa).
        Counter = "counter",
        /// By the public postal service (bưu chính công ích).
        Post = "post",
        /// As an electronic file on the portal only.
        Electronic = "electronic",
    }
}

impl ResultDelivery {
    /// HinhThuc of the national portal (REGULATIONS §2.3): 0 in person, 1 by post;
    /// an electronic result is collected in person, on the portal.
    pub fn national_code(self) -> u8 {
        u8::from(self == ResultDelivery::Post)
    }

    /// ThongTinTra: the delivery in words, as the record and form 01 say it.
    pub fn label(self) -> &'static str {
        match self {
            ResultDelivery::Counter => "Nhận trực tiếp tại Bộ phận Một cửa",
            ResultDelivery::Post => "Nhận qua dịch vụ bưu chính công ích",
            ResultDelivery::Electronic => "Nhận bản điện tử trên Cổng dịch vụ công",
        }
    }
}
