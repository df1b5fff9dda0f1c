//! A teacher's classes as operations on the collection: create one, change its name, decks
//! and settings, and its roster (add, rename, remove a student, reset a phone). Each runs in
//! one transaction of the store and reports [`Changes::CLASSES`]. They are not on the undo
//! stack: removing a student deletes their answers, and the screens ask before it.

use chrono::{DateTime, Utc};

use super::{Changes, Collection, CollectionError, OpOutput};
use crate::class::{Class, ClassSettings, Student};

fn done<T>(output: T) -> OpOutput<T> {
    OpOutput::new(output, Changes::CLASSES)
}

impl Collection {
    /// Creates a class with its decks, settings and roster (all of it, or nothing when a
    /// name is refused).
    pub fn create_class(
        &mut self,
        name: &str,
        decks: &[String],
        settings: &ClassSettings,
        roster: &[String],
        now: DateTime<Utc>,
    ) -> Result<OpOutput<(Class, Vec<Student>)>, CollectionError> {
        let made = self
            .store_mut()?
            .create_class(name, decks, settings, roster, now)?;
        Ok(done(made))
    }

    /// Saves a class's name, decks and settings (`class.key` says which class).
    pub fn update_class(&mut self, class: &Class) -> Result<OpOutput<()>, CollectionError> {
        self.store_mut()?.update_class(class)?;
        Ok(done(()))
    }

    /// Adds students to a class's roster: all of them, or none when a name is refused.
    pub fn add_students(
        &mut self,
        class: &Class,
        names: &[String],
        now: DateTime<Utc>,
    ) -> Result<OpOutput<Vec<Student>>, CollectionError> {
        let added = self.store_mut()?.add_students(class, names, now)?;
        Ok(done(added))
    }

    /// Removes a student with their schedule and answers; gives back how many answers went.
    pub fn remove_student(
        &mut self,
        class: &Class,
        name: &str,
    ) -> Result<OpOutput<u64>, CollectionError> {
        let removed = self
            .store_mut()?
            .remove_students(class, &[name.to_owned()])?;
        Ok(done(removed.iter().map(|(_, n)| n).sum()))
    }

    /// Renames a student; their id, phone and history stay.
    pub fn rename_student(
        &mut self,
        class: &Class,
        old: &str,
        new: &str,
    ) -> Result<OpOutput<Student>, CollectionError> {
        let renamed = self.store_mut()?.rename_student(class, old, new)?;
        Ok(done(renamed))
    }

    /// Deletes a class with its roster and every student's schedule and answers; gives back
    /// how many answers went.
    pub fn delete_class(&mut self, class: &Class) -> Result<OpOutput<u64>, CollectionError> {
        let answers = self.store_mut()?.delete_class(class)?;
        Ok(done(answers))
    }

    /// Gives a student a new phone token: their phone joins again by name next lesson.
    pub fn reset_student_phone(
        &mut self,
        class: &Class,
        name: &str,
    ) -> Result<OpOutput<Student>, CollectionError> {
        let reset = self.store_mut()?.reset_student_token(class, name)?;
        Ok(done(reset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::store::Store;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn class_operations_change_the_store_and_say_classes_changed() {
        let store = Store::open_in_memory("teacher").unwrap();
        let mut col = Collection::new(store, Settings::default());
        let now = Utc::now();
        let settings = ClassSettings::from_profile(&Settings::default());
        let out = col
            .create_class("7b", &[], &settings, &names(&["Ana", "Bo"]), now)
            .unwrap();
        assert_eq!(out.changes, Changes::CLASSES);
        let (class, students) = out.output;
        assert_eq!(students.len(), 2);
        let token = students[0].token.clone();
        let reset = col.reset_student_phone(&class, "ana").unwrap().output;
        assert_ne!(reset.token, token);
        col.rename_student(&class, "Bo", "Bob").unwrap();
        col.add_students(&class, &names(&["Cy"]), now).unwrap();
        assert!(col.add_students(&class, &names(&["ANA"]), now).is_err());
        assert_eq!(col.remove_student(&class, "Cy").unwrap().output, 0);
        let roster: Vec<String> = col
            .store()
            .unwrap()
            .students(&class)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(roster, ["Ana", "Bob"]);
        let mut renamed = class.clone();
        renamed.name = "7c".to_owned();
        col.update_class(&renamed).unwrap();
        assert_eq!(
            col.store().unwrap().class_named("7C").unwrap().key,
            class.key
        );
        assert_eq!(col.delete_class(&renamed).unwrap().output, 0);
        assert!(col.store().unwrap().classes().unwrap().is_empty());
    }

    #[test]
    fn without_a_profile_class_operations_are_refused() {
        let mut col = Collection::default();
        let settings = ClassSettings::from_profile(&Settings::default());
        assert!(matches!(
            col.create_class("7b", &[], &settings, &[], Utc::now()),
            Err(CollectionError::NoProfile)
        ));
    }
}
