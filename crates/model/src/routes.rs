//! Routes a request takes to a meter: after the DCC data service (DSP), SMETS2 requests go through
//! the CSP of the meter's region and SMETS1 requests through the DCO to the S1SP of the meter's
//! cohort. Within a cohort the S1SP handles requests one after another; the three cohorts run in
//! parallel (Working Group, October 2021).

use serde::Serialize;

/// The six routes, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Route {
    CspNorth = 0,
    CspCentral = 1,
    CspSouth = 2,
    S1spIoc = 3,
    S1spMoc = 4,
    S1spFoc = 5,
}

pub const ROUTES: [Route; 6] = [
    Route::CspNorth,
    Route::CspCentral,
    Route::CspSouth,
    Route::S1spIoc,
    Route::S1spMoc,
    Route::S1spFoc,
];

impl Route {
    pub fn from_index(i: usize) -> Route {
        ROUTES[i.min(5)]
    }
    pub fn index(self) -> usize {
        self as usize
    }
    /// True for the SMETS1 routes (through an S1SP).
    pub fn is_smets1(self) -> bool {
        self.index() >= 3
    }
    /// Region (N, C, S) or cohort (IOC, MOC, FOC) index within the route's kind.
    pub fn sub_index(self) -> usize {
        self.index() % 3
    }
    pub fn label(self) -> &'static str {
        [
            "CSP North",
            "CSP Central",
            "CSP South",
            "S1SP IOC",
            "S1SP MOC",
            "S1SP FOC",
        ][self.index()]
    }
    pub fn key(self) -> &'static str {
        [
            "csp_north",
            "csp_central",
            "csp_south",
            "s1sp_ioc",
            "s1sp_moc",
            "s1sp_foc",
        ][self.index()]
    }
}
