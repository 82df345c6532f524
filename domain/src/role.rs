//! Roles (роли), organisation kinds and access scopes.

use serde::{Deserialize, Serialize};

/// What kind of organisation a user belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The company running Kabinet: regions, retail points, staff.
    Seller,
    /// A wholesale client company (оптовый клиент).
    Client,
    /// A dealer (дилер).
    Dealer,
    /// A supplier listing products on the marketplace (поставщик).
    Supplier,
    /// A private person buying at retail; each retail buyer has one of their own.
    Person,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [Self::Seller, Self::Client, Self::Dealer, Self::Supplier, Self::Person];

    pub fn code(self) -> &'static str {
        match self {
            Self::Seller => "seller",
            Self::Client => "client",
            Self::Dealer => "dealer",
            Self::Supplier => "supplier",
            Self::Person => "person",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The single role a user holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Розничный покупатель.
    RetailBuyer,
    /// Оптовый покупатель.
    WholesaleBuyer,
    /// Менеджер дилера.
    DealerManager,
    /// Сервисный инженер дилера.
    DealerServiceEngineer,
    /// Сотрудник дилера.
    DealerEmployee,
    /// Поставщик.
    Supplier,
    /// Менеджер по продажам.
    SalesManager,
    /// Руководитель (региональный).
    Head,
    /// Кассир розничной точки.
    Cashier,
    /// Сервисный инженер продавца (рекламации).
    ServiceEngineer,
    /// Администратор.
    Admin,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Self::RetailBuyer,
        Self::WholesaleBuyer,
        Self::DealerManager,
        Self::DealerServiceEngineer,
        Self::DealerEmployee,
        Self::Supplier,
        Self::SalesManager,
        Self::Head,
        Self::Cashier,
        Self::ServiceEngineer,
        Self::Admin,
    ];

    /// Stable code used in the database and in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::RetailBuyer => "retail_buyer",
            Self::WholesaleBuyer => "wholesale_buyer",
            Self::DealerManager => "dealer_manager",
            Self::DealerServiceEngineer => "dealer_service_engineer",
            Self::DealerEmployee => "dealer_employee",
            Self::Supplier => "supplier",
            Self::SalesManager => "sales_manager",
            Self::Head => "head",
            Self::Cashier => "cashier",
            Self::ServiceEngineer => "service_engineer",
            Self::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The kind of organisation a user with this role must belong to.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Self::RetailBuyer => OrgKind::Person,
            Self::WholesaleBuyer => OrgKind::Client,
            Self::DealerManager | Self::DealerServiceEngineer | Self::DealerEmployee => OrgKind::Dealer,
            Self::Supplier => OrgKind::Supplier,
            Self::SalesManager | Self::Head | Self::Cashier | Self::ServiceEngineer | Self::Admin => OrgKind::Seller,
        }
    }

    /// Staff of the seller itself (as opposed to its clients and partners).
    pub fn is_staff(self) -> bool {
        self.org_kind() == OrgKind::Seller
    }
}

/// How far an allowed action reaches. Queries are always narrowed by the caller's scope, never by
/// an identifier the client sent alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Anyone, signed in or not.
    Public,
    /// Only the caller's own records.
    Own,
    /// Records of the caller's organisation.
    OwnOrganisation,
    /// Records of clients assigned to the caller (sales managers).
    OwnClients,
    /// Records of the caller's region (heads).
    OwnRegion,
    /// What a member of the seller's staff works with, by role: a sales manager's assigned clients
    /// and the unassigned ones of their region, a head's region, everything for an administrator.
    /// Organisations without a region (private persons) are everybody's.
    Managed,
    /// Everything.
    All,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn codes_round_trip() {
            for r in Role::ALL {
                assert_eq!(Role::parse(r.code()), Some(r));
            }
            for k in OrgKind::ALL {
                assert_eq!(OrgKind::parse(k.code()), Some(k));
            }
            assert_eq!(Role::parse("root"), None);
        }
    }

    both! {
        fn staff_roles_belong_to_the_seller() {
            let staff: Vec<_> = Role::ALL.into_iter().filter(|r| r.is_staff()).collect();
            assert_eq!(
                staff,
                vec![Role::SalesManager, Role::Head, Role::Cashier, Role::ServiceEngineer, Role::Admin]
            );
            assert_eq!(Role::DealerEmployee.org_kind(), OrgKind::Dealer);
        }
    }
}
