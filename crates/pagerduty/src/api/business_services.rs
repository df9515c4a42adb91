//! Business services and the service dependency graph.

use reqwest::Method;

use crate::ids::{BusinessServiceId, ServiceId};
use crate::models::{BusinessService, ServiceDependency};
use crate::{Client, Page, Result, Window};

impl Client {
    /// `GET /business_services`, a page of them.
    pub async fn list_business_services(&self, window: Window) -> Result<Page<BusinessService>> {
        self.list_by::<BusinessService>(&(), window).await
    }

    /// The direct dependencies of a business service, either side.
    pub async fn business_service_dependencies(
        &self,
        id: &BusinessServiceId,
    ) -> Result<Vec<ServiceDependency>> {
        self.dependencies(
            "business_services",
            id.as_str(),
            format!("business service {id}"),
        )
        .await
    }

    /// The direct dependencies of a technical service, either side.
    pub async fn technical_service_dependencies(
        &self,
        id: &ServiceId,
    ) -> Result<Vec<ServiceDependency>> {
        self.dependencies("technical_services", id.as_str(), format!("service {id}"))
            .await
    }

    /// `GET /service_dependencies/{side}/{id}`, about `subject`.
    async fn dependencies(
        &self,
        side: &str,
        id: &str,
        subject: String,
    ) -> Result<Vec<ServiceDependency>> {
        self.request(Method::GET, &["service_dependencies", side, id])
            .subject(subject)
            .send_one("relationships")
            .await
    }
}
